// The page: picks a scenario (library, local file, edited text), runs it in a worker, and plays the
// result on one playhead across every view; or opens a trace file `kafkasim run --trace` wrote
// (.jsonl or .jsonl.gz, by Open file… or dropped on the page) and plays that, drawn by the same code
// from the same kind of events. The only wall-clock reader of the project lives here:
// requestAnimationFrame's timestamps, mapped to simulated time by the speed (lib/speed.ts).

import { decodeScenarioBytes, formatError, MAX_SCENARIO_BYTES, type ScenarioError } from '../../src/scenario/index.ts';
import { isNotable, type VizEvent } from '../lib/events.ts';
import { firstDivergence, type LostRecord, type RunData } from '../lib/run-data.ts';
import { buildSeries, faultIntervals } from '../lib/series.ts';
import { advance, clampSpeedIndex, DEFAULT_SPEED_INDEX, formatSpeed, nearestSpeedIndex, SPEED_STEPS } from '../lib/speed.ts';
import { formatSeconds } from '../lib/time.ts';
import { MAX_LINK_TEXT_BYTES, readUrlState, writeUrlState, type UrlState } from '../lib/url-state.ts';
import { WHAT_IF_KEYS, whatIfErrors } from '../lib/what-if.ts';
import { baseName } from '../lib/meta.ts';
import type { ScenarioCheck } from '../run/check.ts';
import { clusterLegendHtml } from '../views/cluster.ts';
import { partitionLegendHtml } from '../views/partitions.ts';
import { overviewLegendHtml } from '../views/overview.ts';
import { EventLogCard, GroupsCard, ProducersCard } from '../views/side.ts';
import { MetricsPanel } from '../views/metrics.ts';
import { TimelineView, type TimelineRun } from '../views/timeline.ts';
import { installTooltips } from '../views/tooltip.ts';
import { Editor } from './editor.ts';
import { HowOftenPanel, type CurrentScenario, type OpenRequest } from './how-often.ts';
import { defaultEntry, FALLBACK_SCENARIO, findEntry, loadLibrary, type LibraryEntry } from './library.ts';
import { CheckClient, RunClient, RunFailed } from './run-client.ts';
import { escapeHtml, RunPanel } from './run-panel.ts';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

interface Source {
  text: string;
  fileName: string;
  /** Library name, when the text is a library file as-is (goes in the URL). */
  libraryName?: string;
  /** Edited or opened text (goes in the URL fragment). */
  custom: boolean;
  /** An opened file the CLI would refuse before parsing it (not UTF-8, too large): its one error. */
  refused?: ScenarioError;
}

export class App {
  private readonly library = loadLibrary();
  private readonly client = new RunClient();
  /** The editor's validate-as-you-type, in a worker of its own (the latest text wins). */
  private readonly checker = new CheckClient();
  private readonly editor: Editor;
  /** The last check of the source's text, and of a text the editor holds (How often? reads them). */
  private sourceCheck: { text: string; check: ScenarioCheck } | undefined;
  private editorCheck: { text: string; check: ScenarioCheck } | undefined;
  readonly howOften: HowOftenPanel;
  private source!: Source;
  private seed?: number;
  private whatIf: Record<string, string> | undefined;
  private panels: RunPanel[] = [];
  private timeline?: TimelineView;
  private metricsPanel?: MetricsPanel;
  private producers?: ProducersCard;
  private groups?: GroupsCard;
  private eventLog?: EventLogCard;
  private notable: VizEvent[] = [];
  private allTimes: number[] = [];
  private durationUs = 0;
  private tUs = 0;
  private playing = false;
  private speedIndex = DEFAULT_SPEED_INDEX;
  private lastFrame: number | undefined;
  private dirty = true;
  private selected: LostRecord | undefined;
  /** "Show the ending": the presenter asked to see how the run ends (otherwise nothing after the playhead shows). */
  private ending = false;
  private lastUrlWrite = 0;
  private lastSideUpdate = 0;
  private lastCaption = '';
  private runToken = 0;
  /** Frame-time probe for the browser tests: wall ms between animation frames while playing. */
  readonly frameTimes: number[] = [];
  /** Wall ms spent in render() per played frame (our JavaScript, without the browser's paint). */
  readonly renderTimes: number[] = [];

  constructor() {
    this.editor = new Editor({
      check: (text, fileName) => this.checker.check(text, fileName),
      checked: (text, check) => {
        this.editorCheck = { text, check };
        this.howOften.refresh();
      },
      format: formatError,
      run: (text) => void this.open({ text, fileName: this.source.fileName, custom: true }, 0),
      close: () => this.toggleEditor(false),
    });
    this.howOften = new HowOftenPanel($('howoften-panel'), {
      current: () => this.currentScenario(),
      open: (req) => this.openFromHowOften(req),
    });
    this.buildChrome();
    installTooltips(document.body);
    window.addEventListener('keydown', (ev) => this.onKey(ev));
    let resizeTimer: number | undefined;
    window.addEventListener('resize', () => {
      window.clearTimeout(resizeTimer);
      resizeTimer = window.setTimeout(() => this.relayout(), 150);
    });
    requestAnimationFrame((t) => this.frame(t));
  }

  /** Start from the URL (or the default scenario when it names none). */
  async start(): Promise<void> {
    const u = readUrlState(location.search, location.hash);
    if (u.present) this.setPresent(true);
    if (u.speed) this.speedIndex = nearestSpeedIndex(u.speed);
    this.seed = u.seed;
    // a what-if the page cannot run is not run (views/chrome.ts says so): the scenario runs as written
    this.whatIf = u.whatIf && Object.keys(u.whatIf).length && !whatIfErrors(u.whatIf).length ? u.whatIf : undefined;
    if (u.textTooLarge !== undefined) return this.refuseLink(u.textTooLarge);
    let src: Source;
    if (u.text !== undefined) {
      src = { text: u.text, fileName: `${u.scenario ?? 'edited'}.yaml`, custom: true };
    } else {
      const entry = (u.scenario ? findEntry(this.library, u.scenario) : undefined) ?? defaultEntry(this.library);
      src = entry ? fromEntry(entry) : { text: FALLBACK_SCENARIO, fileName: 'acks1-leader-crash.yaml', custom: true };
    }
    await this.open(src, u.tUs ?? 0);
  }

  /** A link whose scenario text is above the documented maximum: say so, read nothing. */
  private refuseLink(bytes: number): void {
    $('scenario-title').textContent = 'This link carries too much scenario text';
    $('scenario-description').innerHTML =
      `<p>The link holds ${escapeHtml(formatBytes(bytes))} of scenario text; a link carries at most ${formatBytes(MAX_LINK_TEXT_BYTES)}. ` +
      'Share a scenario that large as a file, and open it with <b>Open file…</b>; or pick one from the library.</p>';
    $<HTMLSelectElement>('scenario-picker').value = '';
    // Nothing was loaded: the editor starts empty, and a seed or what-if change has no text to re-run.
    this.source = { text: '', fileName: 'edited.yaml', custom: true };
    document.body.dataset.state = 'error';
    this.status(`✕ link refused: ${formatBytes(bytes)} of scenario text, above the ${formatBytes(MAX_LINK_TEXT_BYTES)} a link may carry`, true);
  }

  // ---------------------------------------------------------------------------------------------
  // Chrome: picker, file, seed, toggles, transport.

  private buildChrome(): void {
    const picker = $<HTMLSelectElement>('scenario-picker');
    const groups = new Map<string, LibraryEntry[]>();
    for (const e of this.library) {
      const dir = e.path.split('/').slice(1, -1).join('/') || 'scenarios';
      (groups.get(dir) ?? groups.set(dir, []).get(dir)!).push(e);
    }
    picker.innerHTML = '';
    for (const [dir, entries] of groups) {
      const og = document.createElement('optgroup');
      og.label = dir;
      for (const e of entries) {
        const o = document.createElement('option');
        o.value = e.key;
        o.textContent = e.title;
        o.title = e.description;
        og.appendChild(o);
      }
      picker.appendChild(og);
    }
    const custom = document.createElement('option');
    custom.value = '';
    custom.textContent = '(edited or opened file)';
    custom.disabled = true;
    picker.appendChild(custom);
    picker.addEventListener('change', () => {
      const e = findEntry(this.library, picker.value);
      if (e) {
        this.seed = undefined;
        void this.open(fromEntry(e), 0);
      }
      picker.blur();
    });
    const fileInput = $<HTMLInputElement>('file-input');
    fileInput.accept += ',.jsonl,.gz,application/gzip';
    fileInput.addEventListener('change', (ev) => {
      const f = (ev.target as HTMLInputElement).files?.[0];
      if (f) void this.openFile(f);
      fileInput.value = '';
    });
    // a scenario or a trace file dropped anywhere on the page opens as Open file… would open it
    document.addEventListener('dragover', (ev) => {
      if (ev.dataTransfer?.types.includes('Files')) ev.preventDefault();
    });
    document.addEventListener('drop', (ev) => {
      const f = ev.dataTransfer?.files?.[0];
      if (!f) return;
      ev.preventDefault();
      void this.openFile(f);
    });
    const seedInput = $<HTMLInputElement>('seed-input');
    seedInput.addEventListener('change', () => {
      const v = seedInput.value.trim();
      this.seed = /^-?\d+$/.test(v) ? Number(v) : undefined;
      void this.open(this.source, this.tUs);
    });
    seedInput.addEventListener('keydown', (ev) => ev.stopPropagation());
    $('edit-toggle').addEventListener('click', () => this.toggleEditor());
    $('present-toggle').addEventListener('click', () => this.setPresent(!document.documentElement.classList.contains('present')));
    $('whatif-toggle').addEventListener('click', () => this.toggleWhatIf());
    $('howoften-toggle').addEventListener('click', () => this.howOften.show());
    $('help-toggle').addEventListener('click', () => ($('help').hidden = !$('help').hidden));
    this.buildTransport();
  }

  private buildTransport(): void {
    const host = $('transport');
    host.innerHTML = `
      <div class="controls">
        <button data-act="start" title="Start (Home)">|◀</button>
        <button data-act="prev-notable" title="Previous notable event (Shift+N)">◀◀ notable</button>
        <button data-act="prev" title="Previous event (←)">◀ event</button>
        <button class="play" data-act="play" data-testid="play" title="Play / pause (space)">▶ play</button>
        <button data-act="next" data-testid="step" title="Next event (→)">event ▶</button>
        <button data-act="next-notable" data-testid="next-notable" title="Next notable event: fault, election, ISR change, truncation, loss (n)">notable ▶▶</button>
        <span class="speed" title="Speed on a log scale (↑ / ↓)">speed
          <input type="range" id="speed" data-testid="speed" min="0" max="${SPEED_STEPS.length - 1}" step="1" />
          <output id="speed-out"></output></span>
        <span class="time" data-testid="time" id="time">0.000 s</span><span class="of" id="time-of"></span>
      </div>
      <div id="timeline-host"></div>
      <section id="metrics-host" class="metrics-panel" data-testid="metrics-panel" aria-label="Kafka's metrics"></section>
      <div class="legend" id="legend"></div>`;
    host.querySelector('.controls')!.addEventListener('click', (ev) => {
      const b = (ev.target as Element).closest('[data-act]');
      if (!b) return;
      const act = b.getAttribute('data-act');
      if (act === 'play') this.togglePlay();
      else if (act === 'start') this.seek(0);
      else if (act === 'next') this.stepEvent(1);
      else if (act === 'prev') this.stepEvent(-1);
      else if (act === 'next-notable') this.stepNotable(1);
      else if (act === 'prev-notable') this.stepNotable(-1);
      (b as HTMLElement).blur();
    });
    const speed = $<HTMLInputElement>('speed');
    speed.addEventListener('input', () => this.setSpeed(Number(speed.value)));
    speed.addEventListener('keydown', (ev) => ev.stopPropagation());
    this.setSpeed(this.speedIndex);
  }

  private setSpeed(i: number): void {
    this.speedIndex = clampSpeedIndex(i);
    $<HTMLInputElement>('speed').value = String(this.speedIndex);
    $('speed-out').textContent = formatSpeed(SPEED_STEPS[this.speedIndex]);
  }

  // ---------------------------------------------------------------------------------------------
  // Loading and running.

  private status(text: string, error = false): void {
    const s = $('run-status');
    s.textContent = text;
    s.title = text; // a long message is cut to one line; the whole of it on hover
    s.classList.toggle('error', error);
  }

  async open(src: Source, tUs: number): Promise<void> {
    this.source = src;
    delete document.body.dataset.trace;
    delete document.body.dataset.firstFrame;
    const token = ++this.runToken;
    this.pause();
    this.client.cancelAll();
    // Parsed and validated in the worker, never here: a big text must not freeze the page.
    // What is known already stays on screen (a re-run with another seed must not shift the layout
    // under a click); a new text shows its file name until its check says more.
    const entry = src.libraryName !== undefined ? findEntry(this.library, src.libraryName) : undefined;
    const known = entry ?? (this.sourceCheck?.text === src.text ? this.sourceCheck.check : undefined);
    this.showMeta(known ?? { title: baseName(src.fileName), description: '' });
    const picker = $<HTMLSelectElement>('scenario-picker');
    picker.value = src.libraryName ?? '';
    document.body.dataset.state = 'checking';
    this.status('checking…');
    const checking = src.refused
      ? Promise.resolve<ScenarioCheck>({ name: baseName(src.fileName), title: baseName(src.fileName), description: '', errors: [src.refused], errorCount: 1, written: {} })
      : this.client.check(src.text, src.fileName);
    if (this.editor.text !== src.text) this.editor.setText(src.text, src.fileName, checking);
    let check: ScenarioCheck;
    try {
      check = await checking;
    } catch (e) {
      if (token !== this.runToken || (e instanceof RunFailed && e.message === 'cancelled')) return;
      document.body.dataset.state = 'error';
      this.status(`✕ ${e instanceof Error ? e.message : String(e)}`, true);
      return;
    }
    if (token !== this.runToken) return;
    this.sourceCheck = { text: src.text, check };
    this.showMeta(check);
    if (check.errorCount) {
      document.body.dataset.state = 'invalid';
      this.status(`✕ ${check.errorCount.toLocaleString('en')} error${check.errorCount > 1 ? 's' : ''} in ${src.fileName}`, true);
      this.toggleEditor(true);
      return;
    }
    document.body.dataset.state = 'running';
    this.status('simulating…');
    try {
      const progress = (t: number, d: number) => {
        if (token === this.runToken) this.status(`simulating… ${Math.round((100 * t) / Math.max(1, d))}%`);
      };
      const base = { text: src.text, fileName: src.fileName, seed: this.seed };
      // A single run streams: the run so far is drawn as soon as it is a few simulated seconds past
      // the playhead, and the whole run replaces it where the playhead is then (a what-if waits for both).
      let streamed = false;
      const partial = (d: RunData) => {
        if (token !== this.runToken) return;
        this.showRuns([d], tUs);
        streamed = true;
        document.body.dataset.firstFrame = 'partial';
      };
      const runs = await Promise.all([
        this.whatIf ? this.client.run(base, progress) : this.client.run({ ...base, streamFromUs: tUs }, progress, partial),
        ...(this.whatIf ? [this.client.run({ ...base, overrides: this.whatIf })] : []),
      ]);
      if (token !== this.runToken) return;
      this.showRuns(runs, streamed ? this.tUs : tUs);
      document.body.dataset.firstFrame = 'whole';
      document.body.dataset.state = 'ready';
      const d = runs[0];
      const linkBytes = src.custom ? new TextEncoder().encode(src.text).length : 0;
      const noLink = linkBytes > MAX_LINK_TEXT_BYTES ? ` · too large to share as a link (${formatBytes(linkBytes)}; at most ${formatBytes(MAX_LINK_TEXT_BYTES)}): share the file` : '';
      this.status(`${d.traceEvents.toLocaleString('en')} trace events · simulated in ${Math.round(d.wallMs)} ms${noLink}`);
    } catch (e) {
      if (token !== this.runToken || (e instanceof RunFailed && e.message === 'cancelled')) return;
      document.body.dataset.state = 'error';
      const msg = e instanceof Error ? e.message : String(e);
      this.status(`✕ ${msg}`, true);
      if (e instanceof RunFailed && e.errors.length) console.error(e.errors.join('\n'));
      console.error(e);
    }
  }

  /** A file from Open file… or dropped on the page: a trace (`kafkasim run --trace`) or a scenario. */
  async openFile(f: File): Promise<void> {
    const bytes = new Uint8Array(await f.arrayBuffer());
    if (isTraceFile(f.name, bytes)) return this.openTrace(bytes, f.name);
    // Decoded as the CLI decodes a file: invalid UTF-8 is a located error, not U+FFFD (f.text()).
    const decoded = decodeScenarioBytes(bytes, f.name);
    this.seed = undefined;
    if ('text' in decoded) return this.open({ text: decoded.text, fileName: f.name, custom: true }, 0);
    // Shown as best it can be (nothing of a file too large to read), with the CLI's error.
    const text = bytes.length > MAX_SCENARIO_BYTES ? '' : new TextDecoder().decode(bytes);
    return this.open({ text, fileName: f.name, custom: true, refused: decoded.error }, 0);
  }

  /**
   * Plays a trace file: read in the worker (trace-run.ts), the same code that builds the page's own
   * runs, so it plays exactly as the run did. Its header's scenario becomes the source: the editor
   * shows it, and a seed or what-if change runs it again live.
   */
  async openTrace(bytes: Uint8Array, fileName: string): Promise<void> {
    const token = ++this.runToken;
    this.pause();
    this.client.cancelAll();
    this.whatIf = undefined;
    $('whatif-panel').hidden = true;
    document.body.dataset.state = 'running';
    this.status(`reading ${fileName}…`);
    try {
      const copy = bytes.slice().buffer as ArrayBuffer;
      const d = await this.client.openTrace(copy, fileName);
      if (token !== this.runToken) return;
      this.source = { text: d.scenarioText, fileName: d.scenarioFile, custom: true };
      this.seed = d.seed;
      this.showMeta({ title: d.title, description: d.description });
      $<HTMLSelectElement>('scenario-picker').value = '';
      this.editor.setText(d.scenarioText, d.scenarioFile, this.checker.check(d.scenarioText, d.scenarioFile));
      this.showRuns([d], 0);
      document.body.dataset.state = 'ready';
      document.body.dataset.trace = fileName;
      // a trace file holds no metrics: its scenario runs again with the metrics part, in the worker,
      // and they are the file's only if that run reproduces the file's trace hash
      if (!d.metrics && d.metricsMissing === undefined) {
        const panel = this.metricsPanel;
        void this.client.metrics({ text: d.scenarioText, fileName: d.scenarioFile, seed: d.seed, untilUs: d.durationUs, traceHash: d.traceHash }).then(
          (m) => {
            if (token !== this.runToken || panel !== this.metricsPanel) return;
            panel?.setMetrics(0, m.metrics, m.missing);
            if (this.timeline) this.timeline.alertsInPanel = m.metrics !== undefined;
            this.relayout();
          },
          (e: unknown) => {
            if (token === this.runToken && panel === this.metricsPanel && !(e instanceof RunFailed && e.message === 'cancelled')) panel?.setMetrics(0, undefined, `not recorded: the re-run failed (${e instanceof Error ? e.message : String(e)})`);
          },
        );
      }
      this.status(`${d.traceEvents.toLocaleString('en')} trace events · read from ${fileName} in ${Math.round(d.wallMs)} ms · trace ${d.traceHash.slice(0, 12)}…`);
    } catch (e) {
      if (token !== this.runToken || (e instanceof RunFailed && e.message === 'cancelled')) return;
      document.body.dataset.state = 'error';
      this.status(`✕ ${fileName}: ${e instanceof Error ? e.message : String(e)}`, true);
    }
  }

  private showMeta(meta: { title: string; description: string }): void {
    $('scenario-title').textContent = meta.title;
    $('scenario-title').title = meta.title;
    $('scenario-description').innerHTML = renderMarkdownish(meta.description);
  }

  /** Show finished runs (also how tests inject a run). */
  showRuns(runs: RunData[], tUs: number): void {
    for (const p of this.panels) p.destroy();
    this.panels = [];
    const runsHost = $('runs');
    const partHost = $('partitions');
    const side = $('side');
    runsHost.innerHTML = '';
    partHost.innerHTML = '';
    side.innerHTML = '';
    partHost.classList.toggle('side-by-side', runs.length > 1);
    this.selected = undefined;
    const hooks = { pickLost: (r: LostRecord | undefined) => this.pickLost(r), seek: (t: number) => this.seek(t), toggleEnding: () => this.setEnding(!this.ending) };
    runs.forEach((d, i) => {
      const label = runs.length === 1 ? 'run' : i === 0 ? 'A' : 'B';
      const panel = new RunPanel(d, label, runsHost, partHost, side, hooks);
      panel.lost.ending = this.ending;
      this.panels.push(panel);
    });
    const primary = runs[0];
    this.durationUs = primary.durationUs;
    // Most wanted first: the ledger (above), what just happened, then the clients.
    // With two runs the event log tells one of them, and says which: A or B, switched in its head.
    this.eventLog = new EventLogCard(side, runs.map((d, i) => ({ label: runs.length === 1 ? '' : i === 0 ? 'A' : 'B', events: d.events })), (t) => this.seek(t));
    this.producers = new ProducersCard(side);
    if (primary.topology.consumers.length) this.groups = new GroupsCard(side);
    else this.groups = undefined;
    $<HTMLInputElement>('seed-input').value = String(primary.seed);
    // Notable events and every event time of all runs, for stepping.
    this.notable = runs.flatMap((d) => d.events.filter(isNotable)).sort((a, b) => a.tUs - b.tUs);
    this.allTimes = [...new Set(runs.flatMap((d) => d.events.map((e) => e.tUs)))].sort((a, b) => a - b);
    // Timeline and charts.
    const tlHost = $('timeline-host');
    tlHost.innerHTML = '';
    const tlRuns: TimelineRun[] = runs.map((d, i) => ({
      label: runs.length === 1 ? '' : i === 0 ? 'A' : 'B',
      title: runs.length === 1 ? '' : i === 0 ? 'A · as written' : `B · ${Object.entries(d.overrides ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')}`,
      series: buildSeries(d.events, d.topology, d.durationUs, 500),
      faults: faultIntervals(d.events, d.topology),
      notable: d.events.filter(isNotable),
      groups: [...new Set(d.topology.consumers.map((c) => c.group))],
    }));
    this.timeline = new TimelineView(tlHost, tlRuns, this.durationUs, (t) => this.seek(t));
    this.timeline.setEnding(this.ending);
    // Kafka's metrics, as the model recorded them during these runs (the worker posts them with each run)
    this.metricsPanel = new MetricsPanel($('metrics-host'), runs.map((d, i) => ({
      label: tlRuns[i].label,
      metrics: d.metrics,
      missing: d.metricsMissing,
      notable: tlRuns[i].notable.filter((e) => e.type !== 'note'),
      lessonMetrics: d.lessonMetrics,
    })), this.durationUs, (t) => this.seek(t), tlHost);
    this.metricsPanel.setEnding(this.ending);
    // in presentation mode the panel shows the lesson's alerts from the model's own gauges: the timeline need not chart them too
    this.timeline.alertsInPanel = runs.every((d) => d.metrics !== undefined);
    if (runs.length > 1) {
      const div = firstDivergence(runs[0], runs[1]);
      this.timeline.divergenceUs = div?.tUs;
      this.renderWhatIfPanel();
      const out = $('whatif-panel').querySelector('.divergence');
      if (out) out.textContent = div ? `A and B first diverge at ${formatSeconds(div.tUs, 6)} (trace event #${div.index})` : 'A and B are identical: the change made no difference to this run';
    }
    $('time-of').textContent = ` / ${formatSeconds(this.durationUs, 1)}`;
    $('legend').innerHTML = clusterLegendHtml() + (this.panels.some((p) => p.big) ? overviewLegendHtml() : '') + partitionLegendHtml();
    this.tUs = Math.max(0, Math.min(tUs, this.durationUs));
    this.lastCaption = '';
    // Lay out once everything is in the page (side by side, each run has half the width).
    this.relayout();
    this.render();
    this.howOften.refresh();
  }

  // ---------------------------------------------------------------------------------------------
  // Playback.

  private frame(now: number): void {
    if (this.playing && this.panels.length) {
      if (this.lastFrame !== undefined) {
        const dt = now - this.lastFrame;
        this.frameTimes.push(dt);
        if (this.frameTimes.length > 5000) this.frameTimes.splice(0, 1000);
        this.tUs = advance(this.tUs, dt, SPEED_STEPS[this.speedIndex], this.durationUs);
        this.dirty = true;
        if (this.tUs >= this.durationUs) this.pause();
      }
      this.lastFrame = now;
    }
    if (this.dirty) {
      const r0 = performance.now();
      this.render();
      if (this.playing) {
        this.renderTimes.push(performance.now() - r0);
        if (this.renderTimes.length > 5000) this.renderTimes.splice(0, 1000);
      }
    }
    requestAnimationFrame((t) => this.frame(t));
  }

  private render(): void {
    this.dirty = false;
    if (!this.panels.length) return;
    const t = this.tUs;
    // Text panels change a few times a second at most while playing (numbers flickering at 60 Hz are
    // unreadable, and each rewrite costs the browser a layout); the drawings change every frame.
    const wall = performance.now();
    const sideDue = !this.playing || wall - this.lastSideUpdate > 100;
    if (sideDue) this.lastSideUpdate = wall;
    for (const p of this.panels) p.update(t, this.selected, sideDue);
    const s = this.panels[0].state;
    if (sideDue) {
      this.producers?.update(s);
      this.groups?.update(s);
      this.eventLog?.update(t, this.ending, this.panels[this.eventLog.run]?.state?.caption?.explains);
    }
    this.timeline?.update(t);
    this.metricsPanel?.update(t, sideDue);
    const time = $('time');
    time.textContent = formatSeconds(t, this.speedIndex < DEFAULT_SPEED_INDEX - 2 ? 6 : 3);
    time.dataset.us = String(t);
    const cap = s.caption;
    // A caption fades once its moment is well past (it stays readable, as context).
    $('caption').classList.toggle('old', cap !== undefined && t - cap.tUs > 10_000_000);
    const capKey = cap ? `${cap.tUs}|${cap.text}` : `intro|${this.panels[0].data.title}`;
    if (capKey !== this.lastCaption) {
      this.lastCaption = capKey;
      const el = $('caption');
      // Before the first note, the scenario says what it is about (its description's first paragraph, or its title).
      const d = this.panels[0].data;
      el.innerHTML = cap
        ? `<span class="when">${formatSeconds(cap.tUs, cap.tUs % 100_000 === 0 ? 1 : 3)}</span><span>${escapeHtml(cap.text)}</span>`
        : `<span class="intro-text">${escapeHtml(introOf(d.title, d.description))}</span>`;
      el.dataset.kind = cap ? 'note' : 'intro';
      if (cap?.explains !== undefined) el.dataset.explains = String(cap.explains);
      else delete el.dataset.explains;
      el.classList.remove('fresh');
      if (cap) {
        void el.offsetWidth;
        el.classList.add('fresh');
        window.setTimeout(() => el.classList.remove('fresh'), 1500);
      }
    }
    document.body.dataset.t = String(t);
    if (!this.playing || wall - this.lastUrlWrite > 1000) {
      this.lastUrlWrite = wall;
      this.writeUrl();
    }
  }

  private writeUrl(): void {
    const st: UrlState = {
      scenario: this.source.libraryName ?? (this.source.custom ? this.source.fileName.replace(/\.(ya?ml|json)$/, '') : undefined),
      seed: this.seed,
      tUs: this.tUs,
      speed: SPEED_STEPS[this.speedIndex],
      present: document.documentElement.classList.contains('present') || undefined,
      whatIf: this.whatIf,
      text: this.source.custom ? this.source.text : undefined,
    };
    const { search, hash } = writeUrlState(st);
    const url = `${location.pathname}${search}${hash}`;
    if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, '', url);
  }

  togglePlay(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  play(): void {
    if (!this.panels.length) return;
    if (this.tUs >= this.durationUs) this.tUs = 0;
    this.playing = true;
    this.lastFrame = undefined;
    this.updatePlayButton();
  }

  pause(): void {
    this.playing = false;
    this.lastFrame = undefined;
    this.updatePlayButton();
    this.dirty = true;
  }

  private updatePlayButton(): void {
    const b = document.querySelector('[data-act="play"]');
    if (b) b.textContent = this.playing ? '❚❚ pause' : '▶ play';
    document.body.dataset.playing = String(this.playing);
  }

  seek(tUs: number): void {
    this.tUs = Math.max(0, Math.min(Math.round(tUs), this.durationUs));
    this.dirty = true;
  }

  private stepEvent(dir: 1 | -1): void {
    const times = this.allTimes;
    if (dir > 0) {
      const next = times.find((t) => t > this.tUs);
      if (next !== undefined) this.seek(next);
    } else {
      for (let i = times.length - 1; i >= 0; i--)
        if (times[i] < this.tUs) {
          this.seek(times[i]);
          return;
        }
      this.seek(0);
    }
  }

  private stepNotable(dir: 1 | -1): void {
    this.pause();
    if (dir > 0) {
      const next = this.notable.find((e) => e.tUs > this.tUs);
      if (next) this.seek(next.tUs);
    } else {
      for (let i = this.notable.length - 1; i >= 0; i--)
        if (this.notable[i].tUs < this.tUs) {
          this.seek(this.notable[i].tUs);
          return;
        }
      this.seek(0);
    }
  }

  /** No spoilers unless asked (issue 13, point 4): the lost records, the ledger's final counts and the
   *  timeline's future show only while "show the ending" is on. */
  setEnding(on: boolean): void {
    this.ending = on;
    for (const p of this.panels) p.lost.ending = on;
    this.timeline?.setEnding(on);
    this.metricsPanel?.setEnding(on);
    document.body.dataset.ending = String(on);
    this.dirty = true;
  }

  private pickLost(r: LostRecord | undefined): void {
    this.selected = r === this.selected ? undefined : r;
    for (const p of this.panels) {
      p.cluster.highlight = new Set(this.selected ? this.selected.story.map((s) => s.broker).filter((b): b is number => b !== undefined) : []);
      if (this.selected) p.reveal(this.selected.partition);
    }
    this.timeline?.setMarks(this.selected ? this.selected.story.map((s) => ({ tUs: s.tUs, text: s.text })) : []);
    this.dirty = true;
  }

  // ---------------------------------------------------------------------------------------------
  // How often? The scenario as it is now (the editor's text when valid, edits not yet run included),
  // and a run of the sweep opened in the player exactly as if its seed had been typed in.

  private currentScenario(): CurrentScenario | undefined {
    if (!this.source) return undefined;
    // Both texts were checked in a worker already: nothing is parsed here.
    const edited = this.editor.text;
    const source = this.sourceCheck?.text === this.source.text ? this.sourceCheck.check : undefined;
    const fromEditor = edited !== this.source.text && this.editorCheck?.text === edited && this.editorCheck.check.errorCount === 0;
    const text = fromEditor ? edited : this.source.text;
    const check = fromEditor ? this.editorCheck!.check : source;
    if (!check || check.errorCount > 0) return undefined;
    return {
      text,
      fileName: this.source.fileName,
      title: check.title,
      seed: this.panels[0]?.data.seed ?? this.seed ?? check.seed ?? 1,
      written: (key) => check.written[key],
    };
  }

  private openFromHowOften(req: OpenRequest): void {
    this.seed = req.seed;
    if (req.whatIf) {
      this.whatIf = req.whatIf;
      // re-rendered by showRuns with the pair that is now playing
      $('whatif-panel').hidden = true;
    }
    let src: Source;
    if (req.text === this.source.text) src = this.source;
    else {
      const entry = this.library.find((e) => e.text === req.text);
      src = entry ? fromEntry(entry) : { text: req.text, fileName: req.fileName, custom: true };
    }
    void this.open(src, this.tUs).then(() => {
      // Below a tall panel (a projector's large type) the player may be out of sight: bring it up.
      const top = $('stage').getBoundingClientRect().top;
      if (top > window.innerHeight * 0.6) $('stage').scrollIntoView({ block: 'start', behavior: 'smooth' });
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Modes and keys.

  private setPresent(on: boolean): void {
    document.documentElement.classList.toggle('present', on);
    $('present-toggle').setAttribute('aria-pressed', String(on));
    this.relayout();
    // once the partition cards and the timeline have settled to the new mode, the cluster measures its
    // room again (as a page opened in that mode does)
    requestAnimationFrame(() => requestAnimationFrame(() => this.relayout()));
  }

  private relayout(): void {
    // the timeline first: its height (charts come and go with presentation mode) decides the room the
    // cluster measures for itself, which would otherwise be laid out for the old, taller timeline
    this.timeline?.build();
    this.metricsPanel?.build();
    for (const p of this.panels) p.build();
    if (this.howOften.open) this.howOften.draw();
    this.dirty = true;
  }

  private toggleEditor(on = !this.editor.open): void {
    this.editor.show(on);
    $('edit-toggle').setAttribute('aria-pressed', String(on));
  }

  private toggleWhatIf(): void {
    const wp = $('whatif-panel');
    if (!wp.hidden) {
      wp.hidden = true;
      $('whatif-toggle').setAttribute('aria-pressed', 'false');
      if (this.whatIf) {
        this.whatIf = undefined;
        void this.open(this.source, this.tUs);
      }
      return;
    }
    this.renderWhatIfPanel();
  }

  private renderWhatIfPanel(): void {
    const wp = $('whatif-panel');
    if (!wp.hidden && wp.querySelector('#wi-key')) return;
    wp.hidden = false;
    $('whatif-toggle').setAttribute('aria-pressed', 'true');
    // The first re-run must change something: by default a value other than the scenario's own.
    const written = this.sourceCheck?.text === this.source.text ? this.sourceCheck.check.written : {};
    const changing = (key: string) => WHAT_IF_KEYS.find((k) => k.key === key)!.values.find((v) => v !== written[key]) ?? WHAT_IF_KEYS.find((k) => k.key === key)!.values[0];
    const [k0, v0] = Object.entries(this.whatIf ?? {})[0] ?? [WHAT_IF_KEYS[0].key, changing(WHAT_IF_KEYS[0].key)];
    wp.innerHTML = `<strong>What if</strong>
      <select id="wi-key" data-testid="whatif-key">${WHAT_IF_KEYS.map((k) => `<option value="${k.key}" ${k.key === k0 ? 'selected' : ''} title="${escapeHtml(k.doc)}">${k.key}</option>`).join('')}</select>
      =
      <select id="wi-value" data-testid="whatif-value"></select>
      <button id="wi-run" data-testid="whatif-run">Re-run the same seed as B, side by side</button>
      <span class="divergence" data-testid="divergence"></span>`;
    const keySel = $<HTMLSelectElement>('wi-key');
    const valSel = $<HTMLSelectElement>('wi-value');
    const fill = () => {
      const def = WHAT_IF_KEYS.find((k) => k.key === keySel.value)!;
      const pick = keySel.value === k0 ? v0 : changing(keySel.value);
      valSel.innerHTML = def.values
        .map((v) => `<option value="${v}" ${v === pick ? 'selected' : ''}>${v}${written[def.key] === v ? ' (as written: same run)' : ''}</option>`)
        .join('');
    };
    fill();
    keySel.addEventListener('change', fill);
    for (const el of [keySel, valSel]) el.addEventListener('keydown', (ev) => ev.stopPropagation());
    $('wi-run').addEventListener('click', () => {
      this.whatIf = { [keySel.value]: valSel.value };
      void this.open(this.source, this.tUs);
    });
  }

  private onKey(ev: KeyboardEvent): void {
    const tag = (ev.target as HTMLElement | null)?.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const k = ev.key;
    let handled = true;
    if (k === ' ') this.togglePlay();
    else if (k === 'ArrowRight') ev.shiftKey ? this.seek(this.tUs + 1_000_000) : this.stepEvent(1);
    else if (k === 'ArrowLeft') ev.shiftKey ? this.seek(this.tUs - 1_000_000) : this.stepEvent(-1);
    else if (k === 'ArrowUp') this.setSpeed(this.speedIndex + 1);
    else if (k === 'ArrowDown') this.setSpeed(this.speedIndex - 1);
    else if (k === 'n') this.stepNotable(1);
    else if (k === 'N') this.stepNotable(-1);
    else if (k === 'p') this.setPresent(!document.documentElement.classList.contains('present'));
    else if (k === 'e') this.toggleEditor();
    else if (k === 'w') this.toggleWhatIf();
    else if (k === 'h') this.howOften.show();
    else if (k === 'Home') this.seek(0);
    else if (k === 'End') this.seek(this.durationUs);
    else if (k === '?') $('help').hidden = !$('help').hidden;
    else if (k === 'Escape') {
      $('help').hidden = true;
      this.toggleEditor(false);
      if (this.selected) this.pickLost(undefined);
    } else handled = false;
    if (handled) ev.preventDefault();
  }

  /** For tests and the console: a read-only view of the page's state. */
  probe() {
    return {
      state: document.body.dataset.state,
      tUs: this.tUs,
      playing: this.playing,
      durationUs: this.durationUs,
      runs: this.panels.map((p) => ({ name: p.data.name, seed: p.data.seed, traceHash: p.data.traceHash, traceEvents: p.data.traceEvents, lost: p.data.lost.length })),
      frameTimes: [...this.frameTimes],
      renderTimes: [...this.renderTimes],
      howOften: this.howOften.probe(),
    };
  }

  /**
   * For tests: the primary run's view state at t (the fold of its events, not the drawing) as plain
   * data, so a run opened from a trace file and the same run simulated here can be compared.
   */
  viewAt(tUs: number): unknown {
    const p = this.panels[0];
    if (!p) return undefined;
    const s = p.fold.snapshotAt(tUs);
    const plain = JSON.stringify(s, (_k, v: unknown) => (v instanceof Set ? [...v].sort() : v instanceof Map ? [...v].sort() : v));
    return { state: JSON.parse(plain) as unknown, lostAt: p.lost.countAt(tUs) };
  }

  clearFrameTimes(): void {
    this.frameTimes.length = 0;
    this.renderTimes.length = 0;
  }
}

/** A trace file: gzipped (a .jsonl.gz), or text whose first line is a kafkasim-trace header. */
function isTraceFile(name: string, bytes: Uint8Array): boolean {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return true;
  if (/\.jsonl$/i.test(name)) return true;
  const head = new TextDecoder().decode(bytes.subarray(0, 4096));
  return /^\{[^\n]*"type":"kafkasim-trace"/.test(head);
}

function fromEntry(e: LibraryEntry): Source {
  return { text: e.text, fileName: e.fileName, libraryName: e.key, custom: false };
}

/** 1.2 MB, 256 KB (binary multiples, as MAX_LINK_TEXT_BYTES is written). */
function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

/** The caption before the first note: the description's first paragraph as plain text, or the title. */
export function introOf(title: string, description: string): string {
  const first = description.trim().split(/\n\s*\n/)[0] ?? '';
  const plain = first.replace(/\s+/g, ' ').replace(/`([^`]+)`/g, '$1').replace(/\*\*([^*]+)\*\*/g, '$1').trim();
  return plain || title;
}

/** Descriptions are short markdown: paragraphs, `code`, **bold**. Escaped first. */
function renderMarkdownish(md: string): string {
  return md
    .trim()
    .split(/\n\s*\n/)
    .map((para) => `<p>${escapeHtml(para).replace(/`([^`]+)`/g, '<code>$1</code>').replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>')}</p>`)
    .join('');
}
