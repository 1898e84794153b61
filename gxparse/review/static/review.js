// gxparse review page: show an annotation's tables as printed, edit cells, recompute the
// identities on the server as cells change (one implementation of the arithmetic: gxparse's own),
// and save. Cells travel as the text typed: the server alone reads blank / placeholder / number.
"use strict";

const CHECK_DELAY_MS = 150; // wait for a pause in typing before asking the server for the identities

const state = { id: null, page: null, checkTimer: null, dirty: false };

const $ = (sel) => document.querySelector(sel);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child);
  return node;
}

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  const response = await fetch(path, init);
  return { ok: response.ok, data: await response.json() };
}

async function loadList() {
  const { data } = await api("/api/reports");
  const nav = $("#report-list");
  nav.replaceChildren();
  for (const report of data.reports) {
    const link = el("a", { href: "#" + encodeURIComponent(report.id), dataset: { id: report.id } },
      report.id, el("span", { class: "status " + report.status }, report.status));
    if (report.doubtful) link.title = `${report.doubtful} doubtful cells`;
    if (report.id === state.id) link.classList.add("current");
    nav.append(link);
  }
}

async function openReport(id) {
  if (state.dirty && !confirm("Discard the unsaved changes of " + state.id + "?")) return;
  const { ok, data } = await api("/api/reports/" + encodeURIComponent(id));
  if (!ok) { setStatus(data.error, "error"); return; }
  state.id = id;
  state.page = data;
  state.dirty = false;
  $("#report-title").textContent = `${data.id} (${data.input}, ${data.template || "no table"}) — ${data.status}`;
  $("#notes").value = data.notes || "";
  $("#source-note").textContent = data.text_note || "";
  renderSource(null);
  renderTables(data);
  renderChecks(data.checks);
  $("#save").disabled = false;
  setStatus("", "");
  document.querySelectorAll("#report-list a").forEach((a) => a.classList.toggle("current", a.dataset.id === id));
}

function renderTables(page) {
  const host = $("#tables");
  host.replaceChildren();
  if (!page.tables.length) host.append(el("p", {}, "No table in this report (template null)."));
  for (const table of page.tables) {
    host.append(el("h3", {}, table.heading + (table.present ? "" : " (not in the annotation)")));
    const cols = table.cols.filter((c) => table.rows.some((r) => r.cols.includes(c.key)));
    const head = el("tr", {}, el("th", {}, "printed"), el("th", {}, ""));
    for (const col of cols) head.append(el("th", { title: col.key }, col.group ? el("span", { class: "group" }, col.group) : "", col.label));
    const grid = el("table", { class: "grid", dataset: { table: table.key } }, head);
    for (const row of table.rows) grid.append(renderRow(table, cols, row, page.doubtful));
    host.append(grid);
  }
}

function renderRow(table, cols, row, doubtful) {
  const present = el("input", { type: "checkbox", class: "row-present", title: "the report prints this row",
    dataset: { table: table.key, row: row.key } });
  present.checked = row.present;
  present.addEventListener("change", () => {
    tr.classList.toggle("absent", !present.checked);
    if (present.checked) printTableColumns(tr, table);
    edited();
  });
  const label = el("td", { class: "label", title: row.key }, row.group ? el("span", { class: "group" }, row.group) : "", row.label);
  const tr = el("tr", { class: row.present ? "" : "absent" }, el("td", {}, present), label);
  for (const col of cols) {
    if (!row.cols.includes(col.key)) { tr.append(el("td", { class: "na" })); continue; }
    const address = `${table.key}.${row.key}.${col.key}`;
    const input = el("input", { class: "cell", placeholder: "blank", "aria-label": `${row.label} ${col.label}`,
      dataset: { address, table: table.key, row: row.key, col: col.key } });
    input.value = row.cells[col.key] ?? "";
    input.dataset.original = input.value;
    setCellPresent(input, col.key in row.cells);
    setCellUncertain(input, state.page.uncertain.includes(address));
    if (doubtful[address]) {
      input.classList.add("doubtful");
      input.title = "doubtful: " + doubtful[address].join(", ");
    }
    input.addEventListener("input", () => {
      input.classList.toggle("edited", input.value !== input.dataset.original);
      setCellPresent(input, true);
      if (!present.checked) { present.checked = true; tr.classList.remove("absent"); }
      edited();
    });
    input.addEventListener("focus", () => renderSource(address));
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") { event.preventDefault(); jumpDoubtful(1); }
    });
    tr.append(el("td", {}, input));
  }
  return tr;
}

// A cell the report does not print (a column it lacks) is absent, which is not blank: it is shown
// greyed and left out of the annotation until something is typed into it.
function setCellPresent(input, present) {
  input.dataset.present = present ? "1" : "0";
  input.classList.toggle("absent-cell", !present);
  input.placeholder = present ? "blank" : "absent";
}

// A cell the reviewer cannot determine from the source (the annotation's "uncertain" list): F4.
function setCellUncertain(input, uncertain) {
  input.dataset.uncertain = uncertain ? "1" : "0";
  input.classList.toggle("uncertain", uncertain);
}

// A row newly marked printed gets the columns the table prints in its other rows.
function printTableColumns(tr, table) {
  const printed = new Set(table.rows.filter((r) => r.present).flatMap((r) => Object.keys(r.cells)));
  for (const input of tr.querySelectorAll("input.cell")) {
    if (!printed.size || printed.has(input.dataset.col)) setCellPresent(input, true);
  }
}

function collectCells() {
  const tables = {};
  for (const box of document.querySelectorAll("input.row-present")) {
    if (!box.checked) continue;
    const row = {};
    for (const input of box.closest("tr").querySelectorAll("input.cell")) {
      if (input.dataset.present === "1") row[input.dataset.col] = input.value;
    }
    (tables[box.dataset.table] ||= {})[box.dataset.row] = row;
  }
  return tables;
}

function collectUncertain() {
  return [...document.querySelectorAll("input.cell.uncertain")]
    .filter((i) => i.dataset.present === "1" && i.closest("tr").querySelector("input.row-present").checked)
    .map((i) => i.dataset.address);
}

function edited() {
  state.dirty = true;
  setStatus("unsaved changes", "");
  clearTimeout(state.checkTimer);
  state.checkTimer = setTimeout(refreshChecks, CHECK_DELAY_MS);
}

async function refreshChecks() {
  const id = state.id;
  const { ok, data } = await api(`/api/reports/${encodeURIComponent(id)}/checks`, { tables: collectCells() });
  if (!ok || id !== state.id) return;
  renderChecks(data.checks);
  for (const input of document.querySelectorAll("input.cell")) {
    const error = data.cell_errors[input.dataset.address];
    input.classList.toggle("bad", Boolean(error));
    if (error) input.title = error;
  }
}

function renderChecks(checks) {
  const host = $("#checks");
  host.replaceChildren(el("h3", {}, "Identities"));
  const counts = { pass: 0, fail: 0, not_assessable: 0 };
  const failing = new Set();
  for (const check of checks) {
    counts[check.status] += 1;
    if (check.status === "fail") check.cells.forEach((a) => failing.add(a));
    const sums = check.left === null ? "" : `: ${check.left} vs ${check.right}`;
    host.append(el("div", { class: "check " + check.status, title: check.text || "",
      dataset: { check: `${check.id}@${check.scope}`, status: check.status, cells: check.cells.join(" ") } },
      `${check.id} · ${check.table} · ${check.scope}${sums} — ${check.status}${check.level === "soft" ? " (soft)" : ""}`));
  }
  $("#identity-summary").textContent =
    `identities: ${counts.pass} pass · ${counts.fail} fail · ${counts.not_assessable} not assessable`;
  for (const input of document.querySelectorAll("input.cell")) {
    input.classList.toggle("failing", failing.has(input.dataset.address));
  }
}

function renderSource(address) {
  const pre = $("#source");
  const text = state.page && state.page.text;
  if (!text) { pre.textContent = ""; return; }
  const span = address && state.page.spans[address];
  if (!span) { pre.replaceChildren(text); return; }
  const mark = el("mark", { id: "source-mark" }, text.slice(span[0], span[1]));
  pre.replaceChildren(text.slice(0, span[0]), mark, text.slice(span[1]));
  mark.scrollIntoView({ block: "center" });
}

function jumpDoubtful(step) {
  const cells = [...document.querySelectorAll("input.cell.doubtful")];
  if (!cells.length) { setStatus("no doubtful cell in this report", ""); return; }
  const active = document.activeElement;
  let index = cells.indexOf(active);
  if (index < 0) {
    // from a cell that is not doubtful: the first doubtful cell after it in the page
    const after = cells.findIndex((c) => active && active.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING);
    index = step > 0 ? (after < 0 ? 0 : after) - 1 : (after < 0 ? cells.length : after);
  }
  const target = cells[(index + step + cells.length) % cells.length];
  target.focus();
  target.select();
}

async function save() {
  if (!state.id) return;
  clearTimeout(state.checkTimer);
  const { ok, data } = await api("/api/reports/" + encodeURIComponent(state.id),
    { tables: collectCells(), notes: $("#notes").value, uncertain: collectUncertain() });
  if (!ok) {
    setStatus("not saved: " + (data.problems || [data.error]).join("; "), "error");
    return;
  }
  state.dirty = false;
  document.querySelectorAll("input.cell").forEach((i) => { i.dataset.original = i.value; i.classList.remove("edited"); });
  setStatus("saved, marked reviewed", "ok");
  $("#report-title").textContent = `${state.page.id} (${state.page.input}, ${state.page.template || "no table"}) — reviewed`;
  await loadList();
  await refreshChecks();
}

function setStatus(message, kind) {
  const node = $("#save-status");
  node.textContent = message || "";
  node.className = kind || "";
}

document.addEventListener("keydown", (event) => {
  if (event.key === "F2") { event.preventDefault(); jumpDoubtful(event.shiftKey ? -1 : 1); }
  if (event.key === "F4" && event.target.matches("input.cell")) {
    event.preventDefault();
    setCellUncertain(event.target, event.target.dataset.uncertain !== "1");
    state.dirty = true;
  }
  if (event.key === "s" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); save(); }
});
$("#next-doubtful").addEventListener("click", () => jumpDoubtful(1));
$("#save").addEventListener("click", save);
$("#notes").addEventListener("input", () => { state.dirty = true; });
$("#report-list").addEventListener("click", (event) => {
  const link = event.target.closest("a");
  if (!link) return;
  event.preventDefault();
  openReport(link.dataset.id).then(() => { history.replaceState(null, "", "#" + encodeURIComponent(link.dataset.id)); });
});
window.addEventListener("beforeunload", (event) => { if (state.dirty) event.preventDefault(); });

loadList().then(() => {
  const wanted = decodeURIComponent(location.hash.slice(1));
  if (wanted) openReport(wanted);
});
