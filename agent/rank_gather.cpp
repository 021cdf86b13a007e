#include "rank_gather.hpp"

#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/utility.hpp>
#include <boost/serialization/vector.hpp>
#include <sstream>

#include "mpi_bytes.hpp"

namespace boost::serialization {

template <class Archive>
void serialize(Archive& ar, erg::Metric& m, unsigned) {
  ar & m.name & m.value & m.higher_is_better;
}

template <class Archive>
void serialize(Archive& ar, erg::RankMarks& r, unsigned) {
  ar & r.phase_items & r.metrics;
}

}  // namespace boost::serialization

namespace erg {

std::vector<RankMarks> gather_rank_marks(const RankMarks& mine, MPI_Comm comm) {
  std::string bytes;
  try {
    std::ostringstream out;
    boost::archive::binary_oarchive archive(out);
    archive << mine;
    bytes = out.str();
  } catch (const std::exception&) {  // sent empty: this rank adds nothing
  }
  std::vector<RankMarks> all;
  for (const auto& received : gather_bytes(bytes, 0, comm)) {
    RankMarks marks;
    try {
      std::istringstream in(received);
      boost::archive::binary_iarchive archive(in);
      archive >> marks;
    } catch (const std::exception&) {
      marks = RankMarks{};
    }
    all.push_back(std::move(marks));
  }
  return all;
}

}  // namespace erg
