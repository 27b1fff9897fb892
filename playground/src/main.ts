import exampleText from "../../examples/dispatch.json?raw";
import {
  lintDispatch,
  resolveDispatch,
  type DispatchResolution,
  type Finding,
  type InboundCall,
  type SIPDispatchRuleInfo,
  type SIPInboundTrunkInfo,
} from "../../src/index.js";
import { callFromFields, fieldsFromCall } from "./call.js";
import { readConfigText, readConfigValue, toJsonConfig } from "./config-input.js";
import { byId, fill, h } from "./dom.js";
import { maskSecrets } from "./masking.js";
import { decodeState, encodeState, EMPTY_CALL, initialState, type CallFields, type PlaygroundState } from "./state.js";
import { decisionView } from "./views/decision.js";
import { diagramView } from "./views/diagram.js";
import { describeCall, lintView } from "./views/lint.js";
import { namedRules, namedTrunks } from "./views/names.js";
import { traceView } from "./views/trace.js";

// The page: state in, panels out. Every change goes through setState, which redraws what
// depends on it and writes the state into the URL.

interface Loaded {
  trunks: SIPInboundTrunkInfo[];
  rules: SIPDispatchRuleInfo[];
  findings: Finding[];
  /** Sources a link carried that no longer parse, with why. */
  problems: string[];
}

let state: PlaygroundState = initialState();
let loaded: Loaded = load(state);

function load(from: PlaygroundState): Loaded {
  const trunks: SIPInboundTrunkInfo[] = [];
  const rules: SIPDispatchRuleInfo[] = [];
  const problems: string[] = [];
  for (const source of from.sources) {
    const read = readConfigValue({ trunks: source.trunks, rules: source.rules });
    if (read.ok) {
      trunks.push(...read.value.trunks);
      rules.push(...read.value.rules);
    } else problems.push(`${source.name}: ${read.error}`);
  }
  return { trunks, rules, findings: lintDispatch({ trunks, rules }), problems };
}

function setState(next: PlaygroundState, options: { configChanged: boolean }): void {
  state = next;
  if (options.configChanged) {
    loaded = load(state);
    renderConfig();
  }
  renderResults();
  saveToUrl();
}

// --- configuration input -------------------------------------------------------------------

function addSource(text: string, name: string): void {
  const read = readConfigText(text);
  if (!read.ok) {
    showConfigError(`${name}: ${read.error}`);
    return;
  }
  showConfigError("");
  const unique = uniqueName(name);
  const json = toJsonConfig(read.value);
  setState({ ...state, sources: [...state.sources, { name: unique, ...json }] }, { configChanged: true });
}

function uniqueName(name: string): string {
  const taken = new Set(state.sources.map((s) => s.name));
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) if (!taken.has(`${name} (${n})`)) return `${name} (${n})`;
}

function showConfigError(message: string): void {
  const element = byId("config-error");
  element.textContent = message;
  element.hidden = message === "";
}

function bindConfigInput(): void {
  const paste = byId<HTMLTextAreaElement>("paste");
  // A paste is read at once and never lands in the text area, so a pin in it is never shown.
  paste.addEventListener("paste", (event) => {
    const text = event.clipboardData?.getData("text/plain") ?? "";
    if (text.trim() === "") return;
    event.preventDefault();
    addSource(text, "pasted");
  });
  byId("add-text").addEventListener("click", () => {
    if (paste.value.trim() === "") return;
    const text = paste.value;
    paste.value = "";
    addSource(text, "typed");
  });
  const zone = byId("config-panel");
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dragging");
    const files = Array.from(event.dataTransfer?.files ?? []);
    if (files.length > 0) void addFiles(files);
    else {
      const text = event.dataTransfer?.getData("text/plain") ?? "";
      if (text.trim() !== "") addSource(text, "dropped");
    }
  });
  const input = byId<HTMLInputElement>("files");
  input.addEventListener("change", () => {
    void addFiles(Array.from(input.files ?? []));
    input.value = "";
  });
  byId("load-example").addEventListener("click", () => {
    setState({ ...state, sources: [] }, { configChanged: true });
    addSource(exampleText, "examples/dispatch.json");
    if (state.call.from === "" && state.call.to === "") setCall({ ...EMPTY_CALL, from: "+15550100", to: "+15550199", sourceIp: "203.0.113.7" });
  });
  byId("clear").addEventListener("click", () => {
    showConfigError("");
    setState({ ...state, sources: [], call: { ...EMPTY_CALL } }, { configChanged: true });
    writeForm(state.call);
  });
}

async function addFiles(files: File[]): Promise<void> {
  for (const file of files) addSource(await file.text(), file.name);
}

function renderConfig(): void {
  fill(
    "sources",
    ...state.sources.map((source, index) =>
      h(
        "li",
        {},
        h("span", { class: "source-name" }, source.name),
        h("span", { class: "muted" }, ` ${count(source.trunks.length, "trunk")}, ${count(source.rules.length, "rule")}`),
        h("button", { type: "button", class: "link", title: `Remove ${source.name}`, onclick: () => removeSource(index) }, "remove"),
      ),
    ),
  );
  if (loaded.problems.length > 0) showConfigError(loaded.problems.join("\n"));
  const echo = toJsonConfig({ trunks: loaded.trunks, rules: loaded.rules });
  byId("echo").textContent = JSON.stringify(maskSecrets(echo), null, 2);
}

function removeSource(index: number): void {
  setState({ ...state, sources: state.sources.filter((_, i) => i !== index) }, { configChanged: true });
}

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`;

// --- the call form --------------------------------------------------------------------------

function form(): HTMLFormElement {
  return byId<HTMLFormElement>("call-form");
}

function field(name: string): HTMLInputElement | HTMLTextAreaElement {
  return form().elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement;
}

function writeForm(call: CallFields): void {
  for (const key of Object.keys(EMPTY_CALL) as (keyof CallFields)[]) {
    const input = field(key);
    if (input instanceof HTMLInputElement && input.type === "checkbox") input.checked = call[key] === true;
    else input.value = String(call[key]);
  }
  (field("strict") as HTMLInputElement).checked = state.strict;
  (field("pin") as HTMLInputElement).disabled = call.noPin;
}

function readForm(): CallFields {
  const call = { ...EMPTY_CALL };
  for (const key of Object.keys(EMPTY_CALL) as (keyof CallFields)[]) {
    const input = field(key);
    (call as Record<string, unknown>)[key] = input instanceof HTMLInputElement && input.type === "checkbox" ? input.checked : input.value;
  }
  return call;
}

function setCall(call: CallFields): void {
  writeForm(call);
  setState({ ...state, call }, { configChanged: false });
}

function bindForm(): void {
  form().addEventListener("submit", (event) => event.preventDefault());
  form().addEventListener("input", () => {
    const call = readForm();
    (field("pin") as HTMLInputElement).disabled = call.noPin;
    setState({ ...state, call, strict: (field("strict") as HTMLInputElement).checked }, { configChanged: false });
  });
}

function loadWitness(witness: InboundCall): void {
  setCall(fieldsFromCall(witness));
  notify(`Loaded the witness call: ${describeCall(witness)}.`);
  byId("decision").scrollIntoView({ behavior: "smooth", block: "start" });
}

// --- results --------------------------------------------------------------------------------

function renderResults(): void {
  const trunks = namedTrunks(loaded.trunks);
  const rules = namedRules(loaded.rules);
  const call = callFromFields(state.call);
  let resolution: DispatchResolution | undefined;
  if (state.sources.length === 0) {
    fill("decision", h("p", { class: "muted" }, "Paste or drop a configuration, or load the example, then fill in a call."));
  } else if (state.call.from === "" && state.call.to === "") {
    fill("decision", h("p", { class: "muted" }, "Fill in a call: at least From or To."));
  } else {
    resolution = resolveDispatch(call, loaded.trunks, loaded.rules, { trace: true, strict: state.strict, randomId: () => state.seed });
    fill("decision", decisionView(resolution, trunks, rules));
  }
  fill("trace", resolution === undefined ? h("p", { class: "muted" }, "The trace appears once a call is resolved.") : traceOf(resolution, trunks, rules));
  fill("diagram", loaded.trunks.length + loaded.rules.length === 0 ? h("p", { class: "muted" }, "No trunks or rules yet.") : diagramView(loaded.trunks, loaded.rules, resolution));
  fill("lint", state.sources.length === 0 ? h("p", { class: "muted" }, "Lint runs on the configuration once there is one.") : lintView(loaded.findings, loadWitness));
}

function traceOf(resolution: DispatchResolution, trunks: ReturnType<typeof namedTrunks>, rules: ReturnType<typeof namedRules>): HTMLElement {
  return traceView(resolution.trace ?? [], trunks, rules);
}

// --- the URL --------------------------------------------------------------------------------

let saving: Promise<void> = Promise.resolve();

/** Writes the state into the hash; `data-saved` on <body> says whether the URL is current. */
function saveToUrl(): void {
  document.body.dataset.saved = "false";
  const snapshot = state;
  saving = saving.then(async () => {
    const hash = await encodeState(snapshot);
    if (snapshot !== state) return;
    history.replaceState(null, "", hash);
    document.body.dataset.saved = "true";
  });
}

async function readUrl(): Promise<void> {
  const decoded = await decodeState(location.hash);
  if (typeof decoded === "string") notify(`Could not read the link: ${decoded}.`);
  else if (decoded !== undefined) state = decoded;
  loaded = load(state);
  writeForm(state.call);
  renderConfig();
  renderResults();
  document.body.dataset.saved = "true";
}

function notify(message: string): void {
  const notice = byId("notice");
  notice.textContent = message;
  notice.hidden = message === "";
}

function bindActions(): void {
  byId("copy-link").addEventListener("click", async () => {
    await saving;
    try {
      await navigator.clipboard.writeText(location.href);
      notify("Link copied. It holds the configuration (pins included) and the call: share it as you would the configuration.");
    } catch {
      notify("The address bar holds the link to this state.");
    }
  });
  window.addEventListener("hashchange", () => void readUrl());
}

bindConfigInput();
bindForm();
bindActions();
void readUrl();
