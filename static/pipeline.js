// The pipeline board's drag and drop: a card dropped on another column is moved there by the
// board's own form, as if it alone were ticked and that stage chosen. Without this script the
// form works as it is.
"use strict";

const bulk = document.getElementById("bulk");

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
    const card = document.querySelector(`.card[data-application="${CSS.escape(id)}"]`);
    if (!bulk || !card || card.closest(".column") === column) return;
    document.querySelectorAll("input[form=bulk][name=applications]").forEach((box) => { box.checked = false; });
    card.querySelector("input[name=applications]").checked = true;
    bulk.querySelector("select[name=stage]").value = column.dataset.stage;
    bulk.submit();
  });
});
