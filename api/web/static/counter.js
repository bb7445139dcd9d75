// Live "N characters left" under a text area with a maxlength (progressive enhancement:
// the page shows the count it was served with). The count is the browser's own: the
// field's value, where a line break is one character, against its maxlength; the words
// come from the page (data-one, data-other, translated), the plural rule from its lang.
document.addEventListener("DOMContentLoaded", () => {
  const plural = new Intl.PluralRules(document.documentElement.lang || "en");
  for (const counter of document.querySelectorAll("[data-counter-for]")) {
    const field = document.getElementById(counter.dataset.counterFor);
    const limit = field ? Number(field.getAttribute("maxlength")) : 0;
    if (!field || !limit) continue;
    const show = () => {
      const left = Math.max(0, limit - field.value.length);
      const words = plural.select(left) === "one" ? counter.dataset.one : counter.dataset.other;
      counter.textContent = words.replace("{count}", String(left));
    };
    field.addEventListener("input", show);
    show();
  }
});
