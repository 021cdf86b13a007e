#pragma once
#include <string>
#include <vector>

namespace erg::svg {

// Inline SVG charts for the HTML report: self-contained, no script, no fonts fetched.

struct Series {
  std::string label;
  std::vector<double> x, y;  // NaN in y breaks the line (missing data)
  std::string color;         // the same series keeps its colour in every chart
};

struct Band {  // a shaded x-interval with a label (a phase)
  std::string label;
  double x0, x1;
  std::string color;  // the phase's colour (phase_color), drawn light
};

struct Bar {
  std::string label;
  double value;
  std::string value_text;  // printed at the end of the bar
  std::string color;
};

std::string line_chart(const std::vector<Series>& series, const std::vector<Band>& bands, const std::string& x_label,
                       const std::string& y_label, int width = 900, int height = 320);

// Horizontal bars, one per row.
std::string bar_chart(const std::vector<Bar>& bars, int width = 900);

// A stacked horizontal bar of parts adding up to a whole, with a legend.
std::string stacked_bar(const std::vector<Bar>& parts, int width = 900);

std::string escape(const std::string& text);  // for text and attributes in HTML and SVG
// For text (not attributes) in HTML and SVG: escaped, and a space after a digit made
// non-breaking, so that no figure is cut from its unit ("12.3 %", "90 000", "4.5 kJ").
std::string escape_text(const std::string& text);
// Lines of the power chart (domains): a palette readable on white, none of phase_color's.
std::string color(size_t index);
// The one colour of a phase kind (search, train, inference, other) in every chart of a
// report; "" (outside any phase) is grey.
std::string phase_color(const std::string& kind);

}  // namespace erg::svg
