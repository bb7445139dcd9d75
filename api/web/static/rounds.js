// Rounds run as jobs: follow a running round live, and never submit a form twice.
// Progressive enhancement only: without this file the page says to reload it.
document.addEventListener("DOMContentLoaded", () => {
  // A form marked data-once submits once: its buttons are disabled while it goes (the
  // pressed button's value travels in a hidden field, as a disabled button sends none).
  for (const form of document.querySelectorAll("form[data-once]")) {
    form.addEventListener("submit", (event) => {
      const pressed = event.submitter;
      if (pressed && pressed.name) {
        const kept = document.createElement("input");
        kept.type = "hidden";
        kept.name = pressed.name;
        kept.value = pressed.value;
        form.append(kept);
      }
      for (const button of form.querySelectorAll("button")) {
        button.disabled = true;
        button.setAttribute("aria-disabled", "true");
      }
    });
  }

  const section = document.querySelector("[data-round][data-running]");
  if (!section) return;
  const id = section.dataset.round;
  const config = JSON.parse(document.getElementById("round-stages").textContent);
  const stage = document.getElementById("round-stage");
  const bar = document.getElementById("round-progress");
  const best = document.getElementById("round-best");
  const number = (value) => (value === null || value === undefined ? "—" : String(value));
  const poll = async () => {
    let round;
    try {
      const response = await fetch(`/rounds/${id}`, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      round = await response.json();
    } catch {
      setTimeout(poll, 3000);  // a blip: try again a little later
      return;
    }
    if (round.status !== "queued" && round.status !== "running") {
      window.location.reload();  // done, failed or stopped: the page shows the result
      return;
    }
    const step = round.progress.stage;
    stage.textContent = config.labels[step] || step;
    bar.value = Math.max(0, config.stages.indexOf(step));
    if (round.progress.best !== null && round.progress.best !== undefined) {
      best.textContent = best.dataset.template
        .replace("{best}", number(round.progress.best))
        .replace("{bound}", number(round.progress.bound));
    }
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 500);
});
