#pragma once
#include <optional>
#include <vector>

#include "trace/job_trace.hpp"
#include "trace/node_summary.hpp"

namespace erg {

// When the job started, as its trace says (start_utc): the clock an intensity series is read
// on. The same value wherever a summary is made or read, so a report read back from the trace
// gives the figures its writer gave.
std::optional<double> job_start_for_carbon(const JobInfo& job);

// One node's part of the job's accounting, from its samples (node_summary.hpp): each domain's
// energy over the job, each phase and the time outside phases, as the differences of its
// cumulative counter at their bounds; with an intensity series (and a known start), their
// CO2e interval by interval, cut at the series' steps.
NodeSummary summarize_node(const NodeTrace& node, const std::vector<Phase>& phases, const CarbonSettings& carbon,
                           std::optional<double> job_start_unix_s);

// The summaries and power series of a trace: those it holds, or, for a trace that holds only
// samples (being assembled, or written before the summaries existed), made from them.
struct JobSummaries {
  std::vector<NodeSummary> nodes;
  PowerSeries power;
};
JobSummaries summaries_of(const JobTrace& trace);

// Whether summaries made under recorded no longer hold under applied (erg report --intensity,
// or another PUE or emission factor beside a series): their CO2e was summed interval by
// interval, so it must be summed again, from the samples.
bool carbon_changes_summaries(const CarbonSettings& recorded, const CarbonSettings& applied);

// Makes trace's summaries again under its carbon settings from the samples at hand
// (trace.nodes, read with TraceRead::samples); a node whose samples are not at hand keeps its
// summary, with a note that its CO2e is at the trace's own settings.
void summarize_again(JobTrace& trace);

}  // namespace erg
