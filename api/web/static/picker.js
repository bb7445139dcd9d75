// People pickers (issue 14): a text field with data-picker becomes a WAI-ARIA combobox
// whose listbox shows the people (or coaches) that /hr/lookup/... finds for what is typed:
// arrow keys browse, Enter or a click chooses, Escape closes; a live region says how many
// matched. Progressive enhancement: the field keeps its label, hint and error; a hidden
// input takes its name and holds what the server reads (the org-chart id, or the coach's
// number), so without this script, or while the search fails, a typed id still goes
// through as before. The field shows the chosen person's name; with data-picker-multiple
// several people are chosen, listed under the field, each with a button to remove them.
(() => {
  "use strict";
  const DELAY = 150; // ms after the last key before searching
  let made = 0;

  const format = (template, values) =>
    template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));

  const element = (tag, props = {}, attributes = {}) => {
    const node = Object.assign(document.createElement(tag), props);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    return node;
  };

  async function ask(source, q) {
    const response = await fetch(`${source}?q=${encodeURIComponent(q)}`, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(`look-up answered ${response.status}`);
    return response.json();
  }

  function enhance(input) {
    const words = input.dataset;
    const source = words.picker;
    const multiple = input.hasAttribute("data-picker-multiple");
    const plural = new Intl.PluralRules(document.documentElement.lang || "en");
    if (!input.id) input.id = `picker-${++made}`;
    const id = input.id;

    const hidden = element("input", { type: "hidden", name: input.name });
    input.removeAttribute("name");
    const box = element("div", { className: "picker" });
    input.before(box);
    const list = element(
      "ul",
      { id: `${id}-listbox`, className: "picker-list", hidden: true },
      { role: "listbox", "aria-label": words.suggestions },
    );
    const status = element("p", { className: "visually-hidden" }, { role: "status" });
    const note = element("small", { className: "picker-note" });
    box.append(input, list, hidden, status);
    const chosenList = multiple
      ? element("ul", { className: "picker-chosen", hidden: true }, { "aria-label": words.pickerMultiple })
      : null;
    box.after(chosenList || note);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    let options = []; // what the list shows
    let active = -1; // the option under the keyboard
    let picked = null; // one person: the one chosen, while the field shows their name
    const chosen = []; // several people: those chosen so far
    let timer = 0;
    let asked = 0; // the latest search: an older answer arriving late is dropped

    const announce = (message) => {
      status.textContent = message;
    };

    function sync() {
      const typed = input.value.trim();
      if (multiple) {
        hidden.value = [...chosen.map((c) => c.value), ...(typed ? [typed] : [])].join(" ");
      } else {
        hidden.value = picked ? picked.value : typed;
      }
    }

    function cancel() {
      // a search typed for and not yet answered would open the list again
      clearTimeout(timer);
      asked += 1;
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
      for (const option of list.children) option.setAttribute("aria-selected", "false");
    }

    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function highlight(index) {
      active = (index + options.length) % options.length;
      [...list.children].forEach((option, i) => option.setAttribute("aria-selected", String(i === active)));
      const option = list.children[active];
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }

    function drawChosen() {
      chosenList.replaceChildren(
        ...chosen.map((person, i) => {
          const label = format(words.remove, { name: person.name });
          const remove = element("button", { type: "button", className: "link", textContent: "×", title: label }, {
            "aria-label": label,
          });
          remove.addEventListener("click", () => {
            chosen.splice(i, 1);
            drawChosen();
            sync();
            announce(format(words.removed, { name: person.name }));
            input.focus();
          });
          const item = element("li");
          item.append(element("span", { textContent: person.name }), " ", element("small", { textContent: person.value }), " ", remove);
          return item;
        }),
      );
      chosenList.hidden = chosen.length === 0;
    }

    function choose(index) {
      const person = options[index];
      if (!person) return;
      cancel();
      if (multiple) {
        if (!chosen.some((c) => c.value === person.value)) chosen.push(person);
        input.value = "";
        drawChosen();
      } else {
        picked = person;
        input.value = person.name;
        note.textContent = person.detail;
      }
      sync();
      close();
      announce(format(words.chosen, { name: person.name }));
    }

    function show(found, more) {
      // a late answer keeps the option under the keyboard, if it is still in the list
      const kept = active >= 0 ? options[active].value : null;
      options = found;
      list.replaceChildren(
        ...found.map((person, i) => {
          const option = element("li", { id: `${id}-option-${i}` }, { role: "option", "aria-selected": "false" });
          option.append(
            element("span", { className: "picker-name", textContent: person.name }),
            element("span", { className: "picker-detail", textContent: person.detail }),
          );
          option.addEventListener("mousedown", (event) => event.preventDefault()); // focus stays in the field
          option.addEventListener("click", () => choose(i));
          return option;
        }),
      );
      close();
      if (document.activeElement !== input) return; // answered after the user moved on
      if (!found.length) {
        announce(words.none);
        return;
      }
      open();
      const again = found.findIndex((person) => person.value === kept);
      if (again >= 0) highlight(again);
      const count = { count: found.length };
      if (more) announce(format(words.more, count));
      else announce(format(plural.select(found.length) === "one" ? words.foundOne : words.found, count));
    }

    async function search() {
      const q = input.value.trim();
      const ticket = ++asked;
      if (!q) {
        options = [];
        close();
        announce("");
        return;
      }
      let answer;
      try {
        answer = await ask(source, q);
      } catch {
        if (ticket === asked) {
          close();
          announce(words.failed);
        }
        return;
      }
      if (ticket !== asked) return;
      if (answer.too_short) {
        options = [];
        close();
        announce(words.short);
        return;
      }
      show(answer.results, answer.more);
    }

    input.addEventListener("input", () => {
      picked = null;
      note.textContent = "";
      sync();
      clearTimeout(timer);
      timer = setTimeout(search, DELAY);
    });
    input.addEventListener("keydown", (event) => {
      const shown = !list.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!options.length) return;
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        open();
        highlight(active < 0 ? (step === 1 ? 0 : options.length - 1) : active + step);
      } else if (event.key === "Enter") {
        if (shown && active >= 0) {
          event.preventDefault(); // choosing, not sending the form
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (shown) {
          event.preventDefault();
          cancel();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          picked = null;
          note.textContent = "";
          sync();
        }
      }
    });
    input.addEventListener("blur", close);

    // A value served with the page (an edit, or a form sent back with an error) is an id:
    // shown by name once found; an id no one has stays as typed, for the server to refuse.
    async function resolve(value) {
      try {
        const answer = await ask(source, value);
        return answer.results.find((p) => p.value.toLowerCase() === value.toLowerCase()) || null;
      } catch {
        return null;
      }
    }
    const initial = input.value.trim();
    sync();
    if (!initial) return;
    const ids = multiple ? initial.split(/[\s,]+/).filter(Boolean) : [initial];
    Promise.all(ids.map(resolve)).then((found) => {
      if (input.value.trim() !== initial) return; // typed over meanwhile
      if (multiple) {
        const unknown = [];
        found.forEach((person, i) => {
          if (!person) unknown.push(ids[i]);
          else if (!chosen.some((c) => c.value === person.value)) chosen.push(person);
        });
        input.value = unknown.join(" ");
        drawChosen();
      } else if (found[0]) {
        picked = found[0];
        input.value = picked.name;
        note.textContent = picked.detail;
      }
      sync();
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const input of document.querySelectorAll("input[data-picker]")) enhance(input);
  });
})();
