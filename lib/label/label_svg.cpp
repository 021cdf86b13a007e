#include "label/label_svg.hpp"

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sstream>

#include "accounting/job_account.hpp"
#include "report/svg_chart.hpp"
#include "util/number_format.hpp"

namespace erg {

namespace {

// The EU label's colours from dark green (A) to red (E).
constexpr const char* class_colors[] = {"#00a651", "#8cc63f", "#ffe600", "#f7941d", "#e2231a"};
constexpr double width = 340, scale_top = 92, row_h = 38;

// A fact of the job as a number, or nullopt where the summary has none.
std::optional<double> fact(const std::map<std::string, std::string>& facts, const std::string& key) {
  auto it = facts.find(key);
  if (it == facts.end() || it->second.empty()) return std::nullopt;
  return std::strtod(it->second.c_str(), nullptr);
}

}  // namespace

std::string label_svg(const ModelLabel& label, const std::string& reference,
                      const std::map<std::string, std::string>& facts) {
  using svg::escape;
  const int ours = static_cast<int>(label.label);
  std::ostringstream out;
  constexpr size_t max_metric_rows = 10;
  size_t rows = facts.count("energy_kwh") ? 5 : std::min(label.metrics.size(), max_metric_rows);
  double height = scale_top + 5 * row_h + 56 + 22 * static_cast<double>(rows);
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << width << " " << height << "\" width=\"" << width
      << "\" height=\"" << height << "\" role=\"img\" font-family=\"DejaVu Sans, Verdana, sans-serif\">"
      << "<title>Efficiency label " << rating_letter(label.label) << " for " << escape(label.name) << "</title>"
      << "<rect x=\"1\" y=\"1\" width=\"" << width - 2 << "\" height=\"" << height - 2
      << "\" rx=\"10\" fill=\"#fff\" stroke=\"#1d2430\" stroke-width=\"2\"/>"
      << "<rect x=\"1\" y=\"1\" width=\"" << width - 2 << "\" height=\"56\" rx=\"10\" fill=\"#0b3d91\"/>"
      << "<rect x=\"1\" y=\"40\" width=\"" << width - 2 << "\" height=\"17\" fill=\"#0b3d91\"/>"
      << "<text x=\"16\" y=\"36\" font-size=\"24\" font-weight=\"bold\" fill=\"#fff\">ENERGY</text>"
      << "<text x=\"" << width - 16 << "\" y=\"24\" font-size=\"12\" fill=\"#ffe600\" text-anchor=\"end\">erg "
      << "efficiency label</text><text x=\"" << width - 16 << "\" y=\"42\" font-size=\"11\" fill=\"#fff\" "
      << "text-anchor=\"end\">relative to " << escape(std::filesystem::path(reference).filename().string())
      << "</text>"
      << "<text x=\"16\" y=\"80\" font-size=\"15\" font-weight=\"bold\" fill=\"#1d2430\">" << escape(label.name)
      << "</text>";
  for (int c = 0; c < 5; ++c) {
    double y = scale_top + c * row_h, w = 120 + 30 * c, tip = 14;
    out << "<polygon points=\"16," << y << " " << 16 + w << "," << y << " " << 16 + w + tip << "," << y + (row_h - 6) / 2
        << " " << 16 + w << "," << y + row_h - 6 << " 16," << y + row_h - 6 << "\" fill=\"" << class_colors[c]
        << "\"/><text x=\"28\" y=\"" << y + 24 << "\" font-size=\"22\" font-weight=\"bold\" fill=\""
        << (c == 2 ? "#1d2430" : "#fff") << "\" stroke=\"#0003\" stroke-width=\"0.5\">" << static_cast<char>('A' + c)
        << "</text>";
    if (c == ours) {
      double ax = width - 92;
      out << "<polygon points=\"" << ax << "," << y + (row_h - 6) / 2 << " " << ax + 18 << "," << y - 4 << " "
          << width - 14 << "," << y - 4 << " " << width - 14 << "," << y + row_h - 2 << " " << ax + 18 << ","
          << y + row_h - 2 << "\" fill=\"#1d2430\"/><text x=\"" << width - 44 << "\" y=\"" << y + 26
          << "\" font-size=\"30\" font-weight=\"bold\" fill=\"#fff\" text-anchor=\"middle\">" << rating_letter(label.label)
          << "</text>";
    }
  }
  double y = scale_top + 5 * row_h + 16;
  out << "<line x1=\"16\" x2=\"" << width - 16 << "\" y1=\"" << y << "\" y2=\"" << y << "\" stroke=\"#c5ccd6\"/>";
  auto row = [&](const std::string& key, const std::string& value) {
    y += 22;
    out << "<text x=\"16\" y=\"" << y << "\" font-size=\"13\" fill=\"#5a6473\">" << svg::escape_text(key)
        << "</text><text x=\"" << width - 16 << "\" y=\"" << y << "\" font-size=\"14\" font-weight=\"bold\" "
        << "fill=\"#1d2430\" text-anchor=\"end\">" << svg::escape_text(value) << "</text>";
  };
  if (facts.count("energy_kwh")) {
    // The figures as the reports give them (util/number_format).
    row("energy", format_energy_wh(fact(facts, "energy_kwh").value_or(0) * joules_per_kwh));
    row("CO2e", format_co2e(fact(facts, "co2e_g").value_or(0)));
    row("task", facts.count("task") ? facts.at("task") : "-");
    auto nodes = fact(facts, "nodes"), ranks = fact(facts, "ranks");
    row("machine", (nodes ? format_count(*nodes) : "-") + " node(s), " +
                       (ranks && *ranks > 0 ? format_count(*ranks) + " ranks" : "ranks unknown"));
    auto pue = fact(facts, "pue"), factor = fact(facts, "emission_factor_g_per_kwh");
    std::string region = facts.count("region") ? facts.at("region") : "";
    row("site", "PUE " + (pue ? format_number(*pue) : "-") + (factor ? ", " + format_intensity(*factor) : "") +
                    (region.empty() ? "" : " " + region));
  } else {
    size_t shown = 0;
    for (const auto& [metric, m] : label.metrics) {
      if (shown++ == max_metric_rows) break;
      row(metric, format_metric(m.value) + " (" + rating_letter(m.rating) + ")");
    }
  }
  out << "<text x=\"16\" y=\"" << height - 12 << "\" font-size=\"9\" fill=\"#8a94a3\">Fischer et al. 2022: "
      << "weighted median of " << label.metrics.size() << " metric ratings</text></svg>\n";
  return out.str();
}

}  // namespace erg
