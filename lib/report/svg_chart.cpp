#include "report/svg_chart.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "util/number_format.hpp"

namespace erg::svg {

namespace {

// Coordinates in the SVG, not figures for a reader (those go through util/number_format).
std::string number(double v, const char* pattern) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, pattern, v);
  return buffer;
}

// An axis tick: the figure without exponent, and without the trailing zeros that the
// three-digit rule keeps elsewhere ("0.25", not "0.250"; nice steps need no more).
std::string tick(double v) {
  std::string text = format_significant(v, 4);
  if (text.find('.') != std::string::npos) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  return escape_text(text);
}

// A "nice" step for about `ticks` axis ticks over [0, max].
double nice_step(double max, int ticks) {
  if (!(max > 0)) return 1;
  double raw = max / ticks, magnitude = std::pow(10, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (raw <= m * magnitude) return m * magnitude;
  return 10 * magnitude;
}

}  // namespace

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string escape_text(const std::string& text) {
  std::string out = escape(text);
  for (size_t i = 1; i < out.size(); ++i)
    if (out[i] == ' ' && std::isdigit(static_cast<unsigned char>(out[i - 1]))) out.replace(i, 1, "&#160;");
  return out;
}

std::string color(size_t index) {
  static const char* palette[] = {"#d62728", "#17becf", "#8c564b", "#e377c2", "#bcbd22",
                                  "#393b79", "#7f7f7f", "#637939", "#843c39", "#5254a3"};
  return palette[index % (sizeof palette / sizeof *palette)];
}

std::string phase_color(const std::string& kind) {
  if (kind == "search") return "#9467bd";
  if (kind == "train") return "#1f77b4";
  if (kind == "inference") return "#ff7f0e";
  if (kind.empty()) return "#9aa3ae";
  return "#2ca02c";  // other, and any kind a newer agent may write
}

std::string line_chart(const std::vector<Series>& series, const std::vector<Band>& bands, const std::string& x_label,
                       const std::string& y_label, int width, int height) {
  const double left = 70, right = 20, top = 20, bottom = 70;
  double x_max = 0, y_max = 0;
  for (const auto& s : series) {
    for (double x : s.x)
      if (std::isfinite(x)) x_max = std::max(x_max, x);
    for (double y : s.y)
      if (std::isfinite(y)) y_max = std::max(y_max, y);
  }
  if (x_max <= 0) x_max = 1;
  double y_step = nice_step(y_max, 5);
  y_max = std::max(y_step, std::ceil(y_max / y_step) * y_step);
  double plot_w = width - left - right, plot_h = height - top - bottom;
  auto px = [&](double x) { return left + x / x_max * plot_w; };
  auto py = [&](double y) { return top + plot_h - y / y_max * plot_h; };

  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << width << " " << height
      << "\" role=\"img\" class=\"chart\"><title>" << escape(y_label) << " over " << escape(x_label) << "</title>";
  for (size_t i = 0; i < bands.size(); ++i) {
    const auto& b = bands[i];
    svg << "<rect x=\"" << number(px(b.x0), "%.1f") << "\" y=\"" << top << "\" width=\""
        << number(std::max(0.5, px(b.x1) - px(b.x0)), "%.1f") << "\" height=\"" << plot_h << "\" fill=\""
        << (b.color.empty() ? (i % 2 ? "#eef2f7" : "#f6f8fb") : b.color) << "\" fill-opacity=\""
        << (b.color.empty() ? "1" : "0.14") << "\"/><text x=\"" << number(px(b.x0) + 3, "%.1f") << "\" y=\""
        << top + 12 << "\" class=\"band\">" << escape_text(b.label) << "</text>";
  }
  for (double y = 0; y <= y_max + y_step / 2; y += y_step)
    svg << "<line x1=\"" << left << "\" x2=\"" << width - right << "\" y1=\"" << number(py(y), "%.1f") << "\" y2=\""
        << number(py(y), "%.1f") << "\" class=\"grid\"/><text x=\"" << left - 6 << "\" y=\""
        << number(py(y) + 4, "%.1f") << "\" class=\"tick\" text-anchor=\"end\">" << tick(y) << "</text>";
  double x_step = nice_step(x_max, 8);
  for (double x = 0; x <= x_max + x_step / 100; x += x_step)
    svg << "<text x=\"" << number(px(x), "%.1f") << "\" y=\"" << top + plot_h + 16
        << "\" class=\"tick\" text-anchor=\"middle\">" << tick(x) << "</text>";
  svg << "<line x1=\"" << left << "\" x2=\"" << left << "\" y1=\"" << top << "\" y2=\"" << top + plot_h
      << "\" class=\"axis\"/><line x1=\"" << left << "\" x2=\"" << width - right << "\" y1=\"" << top + plot_h
      << "\" y2=\"" << top + plot_h << "\" class=\"axis\"/>";
  svg << "<text x=\"" << left + plot_w / 2 << "\" y=\"" << top + plot_h + 34 << "\" class=\"label\" text-anchor=\"middle\">"
      << escape(x_label) << "</text><text transform=\"translate(16," << top + plot_h / 2
      << ") rotate(-90)\" class=\"label\" text-anchor=\"middle\">" << escape(y_label) << "</text>";
  for (size_t i = 0; i < series.size(); ++i) {
    const auto& s = series[i];
    std::string path;
    bool pen_down = false;
    for (size_t k = 0; k < std::min(s.x.size(), s.y.size()); ++k) {
      if (!std::isfinite(s.y[k]) || !std::isfinite(s.x[k])) {
        pen_down = false;
        continue;
      }
      path += (pen_down ? "L" : "M") + number(px(s.x[k]), "%.1f") + "," + number(py(s.y[k]), "%.1f");
      pen_down = true;
    }
    svg << "<path d=\"" << path << "\" fill=\"none\" stroke=\"" << (s.color.empty() ? color(i) : s.color)
        << "\" stroke-width=\"1.6\"/>";
  }
  // Legend below the axis label, wrapping into rows.
  double lx = left, ly = top + plot_h + 52;
  for (size_t i = 0; i < series.size(); ++i) {
    double w = 30 + 7.0 * static_cast<double>(series[i].label.size());
    if (lx + w > width - right) lx = left, ly += 16;
    svg << "<rect x=\"" << lx << "\" y=\"" << ly - 9 << "\" width=\"12\" height=\"10\" fill=\""
        << (series[i].color.empty() ? color(i) : series[i].color) << "\"/><text x=\"" << lx + 16 << "\" y=\"" << ly
        << "\" class=\"legend\">" << escape_text(series[i].label)
        << "</text>";
    lx += w;
  }
  svg << "</svg>";
  return svg.str();
}

std::string bar_chart(const std::vector<Bar>& bars, int width) {
  const double label_w = 150, value_w = 230, row_h = 26;
  double max = 0;
  for (const auto& b : bars)
    if (std::isfinite(b.value)) max = std::max(max, b.value);
  if (max <= 0) max = 1;
  double height = row_h * static_cast<double>(bars.size()) + 10, bar_w = width - label_w - value_w;
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << width << " " << height
      << "\" role=\"img\" class=\"chart\">";
  for (size_t i = 0; i < bars.size(); ++i) {
    double y = 5 + row_h * static_cast<double>(i), w = std::max(0.0, bars[i].value) / max * bar_w;
    svg << "<text x=\"" << label_w - 8 << "\" y=\"" << y + 16 << "\" class=\"legend\" text-anchor=\"end\">"
        << escape_text(bars[i].label) << "</text><rect x=\"" << label_w << "\" y=\"" << y + 3 << "\" width=\""
        << number(w, "%.1f") << "\" height=\"" << row_h - 8 << "\" fill=\""
        << (bars[i].color.empty() ? color(i) : bars[i].color) << "\"/><text x=\"" << number(label_w + w + 6, "%.1f")
        << "\" y=\"" << y + 16 << "\" class=\"legend\">" << escape_text(bars[i].value_text) << "</text>";
  }
  svg << "</svg>";
  return svg.str();
}

std::string stacked_bar(const std::vector<Bar>& parts, int width) {
  double total = 0;
  for (const auto& p : parts) total += std::max(0.0, p.value);
  const double bar_h = 34, left = 10, bar_w = width - 20;
  std::ostringstream svg;
  double legend_rows = static_cast<double>(parts.size());
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << width << " " << bar_h + 20 + 20 * legend_rows
      << "\" role=\"img\" class=\"chart\">";
  double x = left;
  for (size_t i = 0; i < parts.size(); ++i) {
    double w = total > 0 ? std::max(0.0, parts[i].value) / total * bar_w : 0;
    svg << "<rect x=\"" << number(x, "%.1f") << "\" y=\"5\" width=\"" << number(w, "%.1f") << "\" height=\"" << bar_h
        << "\" fill=\"" << (parts[i].color.empty() ? color(i) : parts[i].color) << "\"/>";
    x += w;
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    double y = bar_h + 25 + 20 * static_cast<double>(i);
    svg << "<rect x=\"" << left << "\" y=\"" << y - 10 << "\" width=\"12\" height=\"12\" fill=\""
        << (parts[i].color.empty() ? color(i) : parts[i].color) << "\"/><text x=\"" << left + 18 << "\" y=\"" << y
        << "\" class=\"legend\">" << escape_text(parts[i].label) << ": " << escape_text(parts[i].value_text)
        << "</text>";
  }
  svg << "</svg>";
  return svg.str();
}

}  // namespace erg::svg
