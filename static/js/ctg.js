// The few behaviours of the pages, kept out of inline <script> blocks and on*="" attributes so that the
// Content-Security-Policy can forbid inline scripts. Listeners sit on the document, so that they also work on
// fragments swapped in by htmx.

// « Tout cocher » of Mon suivi: ticks or unticks every fiche of the status-change form.
document.addEventListener("change", (event) => {
  if (event.target.id !== "tout-cocher") return;
  document.querySelectorAll('input[name="fiches"][form="changement-statut"]').forEach((box) => {
    box.checked = event.target.checked;
  });
});

// « Ajouter au périmètre »: appends the commune found (« Nom (code) ») to the communes field.
document.addEventListener("click", (event) => {
  if (!event.target.closest("#commune-add")) return;
  const finder = document.getElementById("commune-finder");
  const field = document.querySelector("textarea[name=communes]");
  const value = finder ? finder.value.trim() : "";
  if (!value || !field) return;
  field.value = field.value.trim() ? field.value.trim().replace(/,\s*$/, "") + ", " + value : value;
  finder.value = "";
  finder.focus();
});

// <form data-confirm="Question ?">: asks before submitting.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// After a failed submit, the focus goes to the error summary (its links lead to each field).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("resume-erreurs");
  if (summary) summary.focus();
});

// A link of the error summary puts the focus in its field (following the link alone would only scroll to it).
document.addEventListener("click", (event) => {
  const link = event.target.closest("#resume-erreurs a[href^='#']");
  if (!link) return;
  const target = document.getElementById(link.getAttribute("href").slice(1));
  const field = target && (target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea"));
  if (!field) return;
  event.preventDefault();
  field.focus();
  field.scrollIntoView({ block: "center" });
});
