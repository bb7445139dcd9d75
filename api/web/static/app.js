// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const field = document.getElementById(button.dataset.copy);
    if (!field || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      await navigator.clipboard.writeText(field.value);
      button.textContent = button.dataset.copied;
    });
  }
  // An invitation link carries its code in the fragment: fill the form with it, hide
  // the field and drop the code from the address bar (and so from history).
  const code = document.querySelector("[data-invitation-code]");
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (code && match) {
    const input = code.querySelector("input");
    if (input && !input.value) input.value = match[1];
    if (input && input.getAttribute("aria-invalid") !== "true") code.hidden = true;
    history.replaceState(null, "", window.location.pathname);
  }
  // A "Print" button (the printable contract): the browser's own print dialog.
  for (const button of document.querySelectorAll("button[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
  foldMenu();
  labelTableCells();
  // Send keyboard focus to the first field in error after a refused form.
  const invalid = document.querySelector('[aria-invalid="true"]');
  if (invalid) invalid.focus();
});

// The phone layout (issue 14 item 9): the same width as the media query in app.css.
const NARROW = window.matchMedia("(max-width: 40rem)");

// On a narrow screen the menu folds behind its "Menu" button (aria-expanded says whether
// it is open); on a wide one it is always in view and the button is hidden by app.css.
// Escape closes it and gives the focus back to the button.
function foldMenu() {
  const button = document.querySelector(".menu-toggle");
  const header = button && button.closest("header");
  const menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!button || !header || !menu) return;
  const set = (open) => button.setAttribute("aria-expanded", String(open));
  set(false);
  header.classList.add("foldable");
  button.hidden = false;
  button.addEventListener("click", () => set(button.getAttribute("aria-expanded") !== "true"));
  header.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
    if (!NARROW.matches) return;
    set(false);
    button.focus();
  });
}

// Tables become cards on a narrow screen: each cell is given its column's header as
// data-label (app.css shows it before the cell). Only tables with a header row; a
// colspan header labels every column it spans. The table, row and cell roles are set
// explicitly, because a table laid out as blocks loses them in some browsers.
function labelTableCells() {
  for (const table of document.querySelectorAll("main table")) {
    const headerRow = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!headerRow) continue;
    const labels = [];
    for (const th of headerRow.cells) {
      const text = th.textContent.replace(/\s+/g, " ").trim();
      for (let i = 0; i < th.colSpan; i++) labels.push(text);
    }
    table.setAttribute("role", "table");
    for (const group of [table.tHead, ...table.tBodies, table.tFoot]) {
      if (group) group.setAttribute("role", "rowgroup");
    }
    for (const row of table.rows) {
      row.setAttribute("role", "row");
      const heading = row.parentElement === table.tHead;
      let column = 0;
      for (const cell of row.cells) {
        const label = labels[column];
        if (heading) {
          cell.setAttribute("role", "columnheader");
        } else {
          if (label && !cell.hasAttribute("data-label")) cell.dataset.label = label;
          cell.setAttribute("role", cell.tagName === "TH" ? "rowheader" : "cell");
        }
        column += cell.colSpan;
      }
    }
    table.classList.add("stacked");
  }
}
