// The monthly trend of the survey results page, with its 95 % interval band.
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("feedback-trend");
  const source = document.getElementById("feedback-trend-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        { label: "95 % (haut / high)", data: data.high, borderColor: "#9fb3c8", pointRadius: 0, fill: "+1", backgroundColor: "rgba(11, 92, 173, 0.12)" },
        { label: "95 % (bas / low)", data: data.low, borderColor: "#9fb3c8", pointRadius: 0, fill: false },
        { label: "Score", data: data.values, borderColor: "#0b5cad", backgroundColor: "#0b5cad", tension: 0.2 },
      ],
    },
    options: { responsive: true, animation: false, plugins: { legend: { position: "bottom" } } },
  });
});
