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
  // Send keyboard focus to the first field in error after a refused form.
  const invalid = document.querySelector('[aria-invalid="true"]');
  if (invalid) invalid.focus();
});
