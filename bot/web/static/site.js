// The copy button: the replay code to the clipboard, or selected for Ctrl+C where the browser
// will not let a page write the clipboard. No inline script anywhere (the CSP forbids it).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const field = document.getElementById(button.dataset.copy);
    const status = document.getElementById(button.getAttribute("aria-describedby"));
    const say = (text) => { if (status) status.textContent = text; };
    const select = () => { field.focus(); field.select(); field.setSelectionRange(0, field.value.length); };
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(field.value);
        say("Copied to the clipboard.");
      } catch (e) {
        select();
        say("Selected: press Ctrl+C (⌘C) to copy.");
      }
    });
  }
});
