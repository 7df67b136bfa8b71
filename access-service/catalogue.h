// catalogue.h — the document catalogue held in memory, in name order.
//
// The database is the source of record; this is its read model, loaded at
// start-up and replaced on every write, so decisions and "what may member M
// see" never touch SQLite. Readers take an immutable snapshot and keep it for
// as long as they need it; writers publish a new one:
//
//   std::shared_ptr<const Catalogue::Snapshot> snapshot = catalogue.Current();
//   const v1::Document* document = snapshot->Find("documents/rec-000010");
//
// Snapshots share the documents themselves (by shared_ptr), so publishing a
// new one after a change copies pointers, not documents.
#ifndef COUNCIL_ACCESS_SERVICE_CATALOGUE_H_
#define COUNCIL_ACCESS_SERVICE_CATALOGUE_H_

#include <memory>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "council/access/v1/access_service.pb.h"

namespace council::access {

class Catalogue {
 public:
  // An immutable view of every document, sorted by resource name.
  class Snapshot {
   public:
    // Find
    //
    // Returns the document named `name` ("documents/{id}"), or null.
    const v1::Document* Find(absl::string_view name) const;
    // UpperBound
    //
    // Returns the position of the first document whose name sorts after
    // `name` (0 for an empty `name`).
    size_t UpperBound(absl::string_view name) const;
    size_t size() const { return documents_.size(); }
    const v1::Document& at(size_t i) const { return *documents_[i]; }

    // Which field a posting list is for.
    enum class Field { kBody, kOwningService, kWard, kPortfolio };
    // Postings
    //
    // The positions, ascending, of the documents whose `field` is (or, for
    // wards, includes) `value`; empty if none. Lets a filtered listing visit
    // only the documents that can match.
    const std::vector<uint32_t>& Postings(Field field, absl::string_view value) const;

   private:
    friend class Catalogue;
    void Index();
    std::vector<std::shared_ptr<const v1::Document>> documents_;
    // Keys point into the documents' own names.
    absl::flat_hash_map<absl::string_view, size_t> positions_;
    // Keys point into the documents' own fields.
    absl::flat_hash_map<absl::string_view, std::vector<uint32_t>> postings_[4];
  };

  Catalogue();

  // Current
  //
  // Returns the latest snapshot.
  std::shared_ptr<const Snapshot> Current() const;

  // Replace
  //
  // Publishes a snapshot of exactly `documents` (start-up).
  void Replace(std::vector<v1::Document> documents);

  // Upsert
  //
  // Publishes a snapshot with `documents` added or replaced by name.
  void Upsert(std::vector<v1::Document> documents);

 private:
  mutable absl::Mutex mu_;
  std::shared_ptr<const Snapshot> current_ ABSL_GUARDED_BY(mu_);
  // Serialises writers, so two upserts cannot lose each other's documents.
  absl::Mutex write_mu_;
};

}  // namespace council::access

#endif  // COUNCIL_ACCESS_SERVICE_CATALOGUE_H_
