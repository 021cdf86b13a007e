#pragma once
#include <string>
#include <vector>

namespace erg::svg {

// Inline SVG charts for the HTML report: self-contained, no script, no fonts fetched.

struct Series {
  std::string label;
  std::vector<double> x, y;  // NaN in y breaks the line (missing data)
};

struct Band {  // a shaded x-interval with a label (a phase)
  std::string label;
  double x0, x1;
};

struct Bar {
  std::string label;
  double value;
  std::string value_text;  // printed at the end of the bar
};

std::string line_chart(const std::vector<Series>& series, const std::vector<Band>& bands, const std::string& x_label,
                       const std::string& y_label, int width = 900, int height = 320);

// Horizontal bars, one per row.
std::string bar_chart(const std::vector<Bar>& bars, int width = 900);

// A stacked horizontal bar of parts adding up to a whole, with a legend.
std::string stacked_bar(const std::vector<Bar>& parts, int width = 900);

std::string escape(const std::string& text);  // for text and attributes in HTML and SVG
std::string color(size_t index);              // a palette readable on white, also in grey

}  // namespace erg::svg
