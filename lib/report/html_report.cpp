#include "report/html_report.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

#include "report/report_tables.hpp"
#include "report/svg_chart.hpp"
#include "util/number_format.hpp"
#include "util/utc_date.hpp"

namespace erg {

namespace {

using svg::escape;
using svg::escape_text;

constexpr size_t max_points = 600;   // per line: enough for the eye, small for the file
// A line whose peak is under this share of the highest peak is flat on the shared axis
// (DRAM beside the CPU): it gets a chart of its own scale as well.
constexpr double small_line_share = 0.25;

constexpr const char* style = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f6f9;color:#1d2430}
main{max-width:980px;margin:0 auto;padding:24px}
h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.2em;margin:28px 0 8px;border-bottom:1px solid #d5dbe3;padding-bottom:4px}
h3{font-size:1em;margin:16px 0 6px;color:#5a6473;font-weight:600}
.meta{color:#5a6473;margin-bottom:16px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px}
.card{background:#fff;border-radius:8px;padding:12px 14px;box-shadow:0 1px 2px #0002}
.card .v{font-size:1.45em;font-weight:600;white-space:nowrap}.card .k{color:#5a6473;font-size:.85em}
.card .s{color:#5a6473;font-size:.75em;margin-top:4px}
.estimate{background:#fff6db;border-left:4px solid #e0a800;padding:8px 12px;margin:14px 0;border-radius:4px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9em;box-shadow:0 1px 2px #0002}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e6eaf0}th{background:#eef2f7}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.chart{width:100%;height:auto;background:#fff;border-radius:8px;box-shadow:0 1px 2px #0002}
.chart .grid{stroke:#e6eaf0}.chart .axis{stroke:#8a94a3}.chart text{font-size:12px;fill:#3a4350}
.chart .band{font-size:11px;fill:#5a6473}.chart .label{font-size:12px;fill:#5a6473}
footer{color:#8a94a3;font-size:.8em;margin-top:28px}
.wide{overflow-x:auto}
@media (max-width:700px){main{padding:12px}table{font-size:.8em}th,td{padding:4px 6px}}
.label{display:flex;gap:20px;align-items:flex-start}.label p{color:#5a6473}
)";

std::string render(const Table& table) {
  std::ostringstream out;
  // Figures do not wrap (white-space:nowrap), so a wide table scrolls on a narrow screen.
  out << "<div class=\"wide\"><table><thead><tr>";
  for (const auto& h : table.header) out << "<th>" << escape_text(h) << "</th>";
  out << "</tr></thead><tbody>";
  for (const auto& row : table.rows) {
    out << "<tr>";
    for (size_t i = 0; i < row.size(); ++i) {
      bool figure = i > 0 && !row[i].empty() && (std::isdigit(static_cast<unsigned char>(row[i][0])) || row[i][0] == '-');
      out << (figure ? "<td class=\"n\">" : "<td>") << escape_text(row[i]) << "</td>";
    }
    out << "</tr>";
  }
  out << "</tbody></table></div>";
  return out.str();
}

// The power of every domain over time (summed over the job's nodes), from the job's power
// series (power_series.hpp), phases shaded in their colours; lines too small to be seen
// beside the largest (DRAM beside the CPU) again on a chart of their own scale, in the same
// colours.
std::string power_charts(const JobReport& r) {
  const PowerSeries& power = r.summaries.power;
  std::size_t samples = 0;
  for (const auto& n : r.summaries.nodes) samples = std::max<std::size_t>(samples, n.n_samples);
  if (power.empty() || samples < 2) return "<p>Not enough samples for a chart.</p>";
  // No finer than the samples themselves: a finer grid only shows interpolation steps.
  const std::size_t steps = power.points() - 1;
  const std::size_t every = std::max<std::size_t>(1, (steps + std::min(max_points, samples) - 1) / std::min(max_points, samples));
  std::vector<double> grid;
  for (std::size_t k = 0; k <= steps; k += every) grid.push_back(static_cast<double>(k) * power.step_s);

  std::vector<svg::Series> lines;
  const bool summed = r.summaries.nodes.size() > 1;
  for (std::size_t d = 0; d < power.domains.size(); ++d) {
    const auto& energy_j = power.energy_j[d];
    std::vector<double> watts(grid.size(), 0.0);
    for (std::size_t i = 1; i < grid.size(); ++i)
      watts[i] = (energy_j[i * every] - energy_j[(i - 1) * every]) / std::max(grid[i] - grid[i - 1], 1e-9);
    if (watts.size() > 1) watts[0] = watts[1];
    lines.push_back({summed ? power.domains[d] + " (all nodes)" : power.domains[d], grid, watts, svg::color(lines.size())});
  }
  auto peak_w = [](const svg::Series& s) {
    double peak = 0;
    for (double y : s.y)
      if (std::isfinite(y)) peak = std::max(peak, y);
    return peak;
  };
  double highest_w = 0;
  for (const auto& s : lines) highest_w = std::max(highest_w, peak_w(s));
  std::vector<svg::Series> small;
  for (const auto& s : lines)
    if (peak_w(s) < small_line_share * highest_w) small.push_back(s);

  std::vector<svg::Band> bands;
  for (const auto& p : r.trace.phases) bands.push_back({p.name, p.start_s, p.end_s, svg::phase_color(p.kind)});
  std::string charts = svg::line_chart(lines, bands, "time since the job's start (s)", "power (W)");
  if (!small.empty())
    charts += "<h3>The smaller domains, on their own scale</h3>" +
              svg::line_chart(small, bands, "time since the job's start (s)", "power (W)", 900, 260);
  return charts;
}

std::string phase_chart(const JobReport& r) {
  std::vector<svg::Bar> bars;
  for (const auto& p : r.account.phases)
    bars.push_back({p.phase.name, p.energy.it_energy_j,
                    format_energy_j_wh(p.energy.it_energy_j) + ", " + format_co2e(p.energy.co2e_g) + " CO2e",
                    svg::phase_color(p.phase.kind)});
  bars.push_back({"outside phases", r.account.outside_phases.it_energy_j,
                  format_energy_j_wh(r.account.outside_phases.it_energy_j) + ", " +
                      format_co2e(r.account.outside_phases.co2e_g) + " CO2e",
                  svg::phase_color("")});
  return svg::bar_chart(bars);
}

std::string life_cycle_chart(const JobReport& r) {
  const auto& lc = r.life_cycle;
  double inference_j = lc.inferences * lc.inference_j_per_item.value_or(0);
  return svg::stacked_bar(
      {{"search (CT)", lc.search_j, format_energy_j_wh(lc.search_j), svg::phase_color("search")},
       {"training (T)", lc.training_j, format_energy_j_wh(lc.training_j), svg::phase_color("train")},
       {"inference (e x I)", inference_j, format_energy_j_wh(inference_j), svg::phase_color("inference")}});
}

std::string card(const std::string& key, const std::string& value, const std::string& small) {
  return "<div class=\"card\"><div class=\"k\">" + escape_text(key) + "</div><div class=\"v\">" +
         escape_text(value) + "</div><div class=\"s\">" + escape_text(small) + "</div></div>";
}

}  // namespace

const char* html_report_style() { return style; }
std::string html_table(const Table& table) { return render(table); }

namespace {

// The grid's intensity over the series, hour by hour as given, with the job and the best
// start shaded: where the job ran against where it would have emitted least.
std::string intensity_chart(const JobReport& r) {
  const GridIntensity& g = r.trace.carbon.intensity;
  const auto start = parse_iso8601(r.trace.job.start_utc);
  if (g.empty() || !start) return "";
  svg::Series line{"grid intensity", {}, {}, svg::color(0)};
  for (std::size_t i = 0; i < g.g_per_kwh.size(); ++i) {
    if (i > 0 && g.start_unix_s[i] > g.end_unix_s[i - 1]) {  // a gap in the series breaks the line
      line.x.push_back((g.end_unix_s[i - 1] - *start) / 3600);
      line.y.push_back(std::nan(""));
    }
    line.x.push_back((g.start_unix_s[i] - *start) / 3600);
    line.y.push_back(g.g_per_kwh[i]);
    line.x.push_back((g.end_unix_s[i] - *start) / 3600);
    line.y.push_back(g.g_per_kwh[i]);
  }
  const double job_h = std::max(r.trace.job.duration_s / 3600, 1e-6);
  std::vector<svg::Band> bands = {{"this job", 0, job_h, svg::phase_color("train")}};
  if (r.account.best_start) {
    const double best_h = (r.account.best_start->start_unix_s - *start) / 3600;
    bands.push_back({"best start", best_h, best_h + job_h, svg::phase_color("inference")});
  }
  return "<h3>Grid intensity</h3>" + svg::line_chart({line}, bands, "hours from the job's start", "gCO2e/kWh");
}

}  // namespace

std::string html_report(const JobReport& r, const std::string& extra_html) {
  const auto& t = r.trace;
  const auto& a = r.account;
  std::ostringstream out;
  std::string title = "erg report: job " + t.job.job_id + (t.job.job_name.empty() ? "" : " (" + t.job.job_name + ")");
  out << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" << escape(title)
      << "</title><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><style>" << style
      << "</style></head><body><main>";
  out << "<h1>" << escape_text(title) << "</h1><div class=\"meta\">" << escape_text(t.job.user) << " &middot; "
      << escape_text(format_utc_time(t.job.start_utc)) << " to " << escape_text(format_utc_time(t.job.end_utc))
      << " &middot; " << escape_text(machine_text(r)) << " &middot; sampled every "
      << escape_text(format_duration_s(t.interval_s)) << "</div>";
  out << "<div class=\"cards\">" << card("duration", duration_text(r), machine_text(r))
      << card("IT energy", format_energy_wh(a.total.it_energy_j), format_energy(a.total.it_energy_j))
      << card("facility energy", format_energy_wh(a.total.facility_energy_j), pue_text(t.carbon))
      << card("CO2e", format_co2e(a.total.co2e_g), intensity_text(t.carbon)) << "</div>";
  if (auto sentence = estimates_sentence(r); !sentence.empty())
    out << "<div class=\"estimate\">" << escape_text(sentence) << "</div>";
  out << extra_html;
  out << "<h2>Power over time</h2>" << power_charts(r);
  out << "<h2>Energy and CO2e per phase</h2>" << phase_chart(r) << render(phases_table(r));
  out << "<h2>Carbon</h2>" << intensity_chart(r) << render(Table{{"figure", "value", "how"}, carbon_rows(r)});
  out << "<h2>Nodes and domains</h2>" << render(nodes_table(r));
  out << "<h2>Life cycle</h2>" << life_cycle_chart(r) << render(life_cycle_table(r));
  out << "<h2>Overheads</h2>" << render(overheads_table(r));
  if (!t.metrics.empty()) out << "<h2>Metrics</h2>" << render(metrics_table(r));
  auto notes = all_notes(r);
  if (!notes.empty()) {
    out << "<h2>Notes</h2><ul>";
    for (const auto& n : notes) out << "<li>" << escape_text(n) << "</li>";
    out << "</ul>";
  }
  out << "<footer>erg " << escape_text(t.job.erg_version) << " &middot; trace format erg-trace 1 &middot; figures "
      << "in joules and watt-hours of IT energy unless said otherwise</footer></main></body></html>\n";
  return out.str();
}

}  // namespace erg
