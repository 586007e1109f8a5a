// The pipeline board's drag and drop: a card dropped on another column submits the card's own
// move form with that column's stage, exactly as choosing the stage and pressing "Move" does.
// Without this script the forms work as they are.
"use strict";

document.querySelectorAll(".board .card[data-application]").forEach((card) => {
  card.draggable = true;
  card.addEventListener("dragstart", (event) => {
    event.dataTransfer.setData("text/plain", card.dataset.application);
    event.dataTransfer.effectAllowed = "move";
  });
});

document.querySelectorAll(".board .column[data-stage]").forEach((column) => {
  column.addEventListener("dragover", (event) => {
    event.preventDefault();
    column.classList.add("drop-target");
  });
  column.addEventListener("dragleave", () => column.classList.remove("drop-target"));
  column.addEventListener("drop", (event) => {
    event.preventDefault();
    column.classList.remove("drop-target");
    const id = event.dataTransfer.getData("text/plain");
    const form = document.querySelector(`.card[data-application="${CSS.escape(id)}"] form.move`);
    if (!form || form.closest(".column") === column) return;
    form.querySelector("select[name=stage]").value = column.dataset.stage;
    form.submit();
  });
});
