#include "node_gather.hpp"

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <sstream>
#include <string>

#include "mpi_bytes.hpp"
#include "trace/node_trace_serialization.hpp"
#include "util/json_text.hpp"

namespace boost::serialization {

template <class Archive>
void serialize(Archive& ar, erg::spool::SpoolFooter& f, unsigned) {
  ar & f.sampler_cpu_s & f.stopped_by & f.end_unix_s & f.thinned_samples;
}

// The header travels as its JSON text: it is the spool's own record.
template <class Archive>
void save(Archive& ar, const erg::NodeSource& s, unsigned) {
  std::string header = erg::json_text(s.spool.header);
  bool has_footer = s.spool.footer.has_value();
  erg::spool::SpoolFooter footer = s.spool.footer.value_or(erg::spool::SpoolFooter{});
  ar << header << has_footer << footer << s.spool.node << s.spool.skipped_bytes << s.spool.skipped_records
     << s.still_written << s.n_ranks;
}

template <class Archive>
void load(Archive& ar, erg::NodeSource& s, unsigned) {
  std::string header;
  bool has_footer = false;
  erg::spool::SpoolFooter footer;
  ar >> header >> has_footer >> footer >> s.spool.node >> s.spool.skipped_bytes >> s.spool.skipped_records >>
      s.still_written >> s.n_ranks;
  s.spool.header = nlohmann::json::parse(header);
  if (has_footer) s.spool.footer = footer;
}

template <class Archive>
void serialize(Archive& ar, erg::NodeSource& s, unsigned version) {
  split_free(ar, s, version);
}

}  // namespace boost::serialization

namespace erg {

std::vector<NodeSource> gather_node_sources(NodeSource own, MPI_Comm leaders) {
  std::string bytes;
  try {
    std::ostringstream out;
    boost::archive::binary_oarchive archive(out);
    archive << own;
    bytes = out.str();
  } catch (const std::exception&) {  // sent empty: rank 0 notes that it could not be decoded
  }
  int rank = 0;
  MPI_Comm_rank(leaders, &rank);
  std::vector<std::string> all = gather_bytes(rank == 0 ? std::string() : bytes, 0, leaders);
  std::vector<NodeSource> nodes;
  if (rank != 0) return nodes;
  nodes.push_back(std::move(own));
  for (size_t source = 1; source < all.size(); ++source) {
    NodeSource node;
    try {
      std::istringstream in(all[source]);
      boost::archive::binary_iarchive archive(in);
      archive >> node;
    } catch (const std::exception&) {
      node = NodeSource{};
      node.spool.header = nlohmann::json::object();
      node.spool.node.node = "leader-" + std::to_string(source);
      node.spool.node.notes.push_back("this node's data could not be decoded");
    }
    nodes.push_back(std::move(node));
  }
  return nodes;
}

}  // namespace erg
