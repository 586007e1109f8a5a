// Folds the header's menu behind its "Menu" button on narrow screens (the stylesheet decides
// when); without this script the menu simply stays open. It runs in the head, before anything
// is drawn, so that a page first appears with the menu folded: folding it later would push the
// page up as it loads.
document.documentElement.classList.add("menu-folds");
document.addEventListener("DOMContentLoaded", () => {
  const header = document.querySelector(".site-header");
  const toggle = header && header.querySelector(".menu-toggle");
  if (!toggle) return;
  toggle.addEventListener("click", () => {
    const open = header.classList.toggle("open");
    toggle.setAttribute("aria-expanded", String(open));
  });
});
