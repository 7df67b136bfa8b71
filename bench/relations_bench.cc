// relations_bench — measures relations-service against issue 4's figures:
//   * conflict checks direct to the service: throughput and p50/p99 latency;
//   * a streamed HR import of 20,000 people with posts;
//   * resident memory when idle (empty, and holding the 20,000 people).
//
// It starts the real binary on a loopback port with a fresh SQLite file, loads
// synthetic data through the real API, and drives it from this process with
// several client threads (bounded by --seconds). Usage:
//   build/bench/relations_bench [--people=20000] [--seconds=5] [--threads=8]
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/server/process_tuning.h"
#include "common/auth/internal_assertion.h"
#include "common/server/caller.h"
#include "council/relations/v1/relations_service.grpc.pb.h"
#include "grpcpp/create_channel.h"

ABSL_FLAG(int, people, 20000, "People (each with a post) in the import.");
ABSL_FLAG(int, seconds, 5, "How long to run conflict checks.");
ABSL_FLAG(int, threads, 8, "Client threads issuing conflict checks.");
ABSL_FLAG(int, declarations, 500, "Member-officer relationships declared before the checks.");
ABSL_FLAG(std::string, build_dir, COUNCIL_BINARY_DIR, "Where the binaries are.");

namespace council::bench {
namespace {

using relations::v1::RelationsService;

constexpr char kService[] = "council.relations.v1.RelationsService";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

long RssKb(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

// Where the resident memory is: the heap and anonymous mappings (malloc's
// per-thread arenas, thread stacks) versus mapped files (code, libraries).
std::string RssBreakdown(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/smaps"));
  std::string line, mapping;
  long heap = 0, anonymous = 0, files = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (std::isxdigit(static_cast<unsigned char>(line[0])) && line.find('-') < 16) {
      // "start-end perms offset dev inode   path"
      std::istringstream fields(line);
      std::string range, perms, offset, dev, inode;
      fields >> range >> perms >> offset >> dev >> inode;
      std::getline(fields, mapping);
      mapping.erase(0, mapping.find_first_not_of(' '));
      continue;
    }
    if (line.rfind("Rss:", 0) != 0) continue;
    const long kb = std::atol(line.c_str() + 4);
    if (mapping == "[heap]") heap += kb;
    else if (mapping.empty() || mapping[0] == '[') anonymous += kb;
    else files += kb;
  }
  return absl::StrCat("heap ", heap, " KB, other anonymous ", anonymous, " KB, files ", files,
                      " KB");
}

common::v1::Date Date(int y, int m, int d) {
  common::v1::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

// A synthetic council: people-0..N, each with a post in a 10-ary tree; every
// tenth person is a member in one of 40 wards.
relations::v1::ImportDirectoryRequest SyntheticDirectory(int people) {
  relations::v1::ImportDirectoryRequest request;
  for (int w = 0; w < 40; ++w) {
    auto* ward = request.add_wards();
    ward->set_name(absl::StrCat("wards/ward-", w));
    ward->set_display_name(absl::StrCat("Ward ", w));
  }
  for (int i = 0; i < people; ++i) {
    auto* person = request.add_people();
    person->set_name(absl::StrCat("people/p-", i));
    person->set_display_name(absl::StrCat("Person ", i));
    const bool member = i % 10 == 0;
    person->set_kind(member ? relations::v1::PERSON_KIND_MEMBER : relations::v1::PERSON_KIND_OFFICER);
    *person->mutable_start_date() = Date(2020, 1, 1);
    if (member) person->set_ward(absl::StrCat("wards/ward-", (i / 10) % 40));
    if (member) continue;
    auto* post = request.add_posts();
    post->set_name(absl::StrCat("posts/post-", i));
    post->set_title(absl::StrCat("Officer ", i));
    post->set_service(absl::StrCat("service-", i % 50));
    if (i > 1) post->set_reports_to(absl::StrCat("posts/post-", std::max(1, (i / 10) | 1)));
    auto* tenure = post->add_tenures();
    tenure->set_person(person->name());
    *tenure->mutable_start_date() = Date(2020, 1, 1);
  }
  // Posts may only report to posts that exist: point dangling ones at post-1.
  std::set<std::string> names;
  for (const auto& post : request.posts()) names.insert(post.name());
  for (auto& post : *request.mutable_posts())
    if (!post.reports_to().empty() && !names.count(post.reports_to()))
      post.set_reports_to(request.posts(0).name());
  request.mutable_posts(0)->clear_reports_to();
  // Middlesbrough 5.4: relationships are declared to the head of paid service.
  auto* designation = request.add_designations();
  designation->set_name("designations/head-of-paid-service");
  auto* tenure = designation->add_tenures();
  tenure->set_person("people/p-1");
  *tenure->mutable_start_date() = Date(2020, 1, 1);
  return request;
}

void Sign(grpc::ClientContext* context, const auth::AssertionKey& key, const char* method) {
  SignCall(context, key, "services/bench", {"administrator"}, "", FullMethodName(kService, method));
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(120)));
}

int Run() {
  const std::string dir = std::filesystem::temp_directory_path() / absl::StrCat("relations-bench-", getpid());
  std::filesystem::create_directories(dir);
  const std::string key_file = dir + "/internal.key";
  std::ofstream(key_file) << auth::AssertionKey::GenerateSecretHex();
  auto key = auth::AssertionKey::FromFile(key_file);
  if (!key.ok()) return 1;
  const std::string port_file = dir + "/port";
  const std::string binary = absl::GetFlag(FLAGS_build_dir) + "/relations-service/relations-service";
  // Starts relations-service on the bench's database; its pid, or -1.
  auto start = [&]() -> pid_t {
    std::filesystem::remove(port_file);
    pid_t child = fork();
    if (child == 0) {
      const std::string log = dir + "/relations.log";
      freopen(log.c_str(), "a", stderr);
      execl(binary.c_str(), binary.c_str(), "--listen=127.0.0.1:0",
            ("--port_file=" + port_file).c_str(), ("--database=" + dir + "/relations.db").c_str(),
            ("--internal_key_file=" + key_file).c_str(),
            "--profile=" COUNCIL_SOURCE_DIR "/profiles/middlesbrough.textproto", nullptr);
      _exit(127);
    }
    for (int i = 0; i < 500; ++i) {
      if (!ReadFile(port_file).empty()) return child;
      absl::SleepFor(absl::Milliseconds(20));
    }
    std::cerr << "relations-service did not start: " << ReadFile(dir + "/relations.log");
    return -1;
  };
  pid_t pid = start();
  if (pid < 0) return 1;
  const std::string port = ReadFile(port_file);
  absl::SleepFor(absl::Milliseconds(500));
  const long rss_empty = RssKb(pid);
  const std::string address = absl::StrCat("127.0.0.1:", std::atoi(port.c_str()));
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  auto stub = RelationsService::NewStub(channel);

  // 1. Streamed import.
  const auto directory = SyntheticDirectory(absl::GetFlag(FLAGS_people));
  const absl::Time import_start = absl::Now();
  relations::v1::ImportDirectoryResponse imported;
  {
    grpc::ClientContext context;
    Sign(&context, *key, "StreamImportDirectory");
    auto writer = stub->StreamImportDirectory(&context, &imported);
    relations::v1::StreamImportDirectoryRequest chunk;
    *chunk.mutable_chunk()->mutable_wards() = directory.wards();
    *chunk.mutable_chunk()->mutable_designations() = directory.designations();
    writer->Write(chunk);
    for (int i = 0; i < directory.people_size(); i += 2000) {
      relations::v1::StreamImportDirectoryRequest message;
      for (int j = i; j < std::min(i + 2000, directory.people_size()); ++j)
        *message.mutable_chunk()->add_people() = directory.people(j);
      writer->Write(message);
    }
    for (int i = 0; i < directory.posts_size(); i += 2000) {
      relations::v1::StreamImportDirectoryRequest message;
      for (int j = i; j < std::min(i + 2000, directory.posts_size()); ++j)
        *message.mutable_chunk()->add_posts() = directory.posts(j);
      writer->Write(message);
    }
    // The service commits only a stream that ends with a chunk marked final.
    relations::v1::StreamImportDirectoryRequest last;
    last.set_final_chunk(true);
    writer->Write(last);
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    if (!status.ok()) {
      std::cerr << "import failed: " << status.error_message() << "\n";
      kill(pid, SIGTERM);
      return 1;
    }
  }
  const absl::Duration import_time = absl::Now() - import_start;

  // 2. Relationships to find: every member i is related to officer i+1.
  int declared = 0;
  for (int i = 0; i < absl::GetFlag(FLAGS_people) && declared < absl::GetFlag(FLAGS_declarations); i += 10, ++declared) {
    grpc::ClientContext context;
    Sign(&context, *key, "CreateRelationship");
    relations::v1::CreateRelationshipRequest request;
    request.set_relationship_id(absl::StrCat("rel-", i));
    request.mutable_relationship()->set_member(absl::StrCat("people/p-", i));
    request.mutable_relationship()->set_officer(absl::StrCat("people/p-", i + 1));
    request.mutable_relationship()->set_kind(relations::v1::RELATIONSHIP_KIND_FAMILY);
    request.mutable_relationship()->set_declared_to("people/p-1");
    relations::v1::Relationship response;
    grpc::Status status = stub->CreateRelationship(&context, request, &response);
    if (!status.ok()) {
      std::cerr << "declaring failed: " << status.error_message() << "\n";
      break;
    }
  }
  absl::SleepFor(absl::Seconds(1));
  const long rss_loaded = RssKb(pid);
  const std::string loaded_breakdown = RssBreakdown(pid);

  // 3. Conflict checks, several threads, bounded by time.
  const int threads = absl::GetFlag(FLAGS_threads);
  const absl::Time stop = absl::Now() + absl::Seconds(absl::GetFlag(FLAGS_seconds));
  std::vector<std::vector<int64_t>> latencies(threads);
  std::atomic<int64_t> errors{0};
  std::vector<std::thread> workers;
  const absl::Time run_start = absl::Now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      auto thread_stub = RelationsService::NewStub(grpc::CreateCustomChannel(
          address, grpc::InsecureChannelCredentials(), [t] {
            grpc::ChannelArguments args;
            args.SetInt("bench.channel", t % 2);  // two connections
            return args;
          }()));
      int i = t;
      while (absl::Now() < stop) {
        grpc::ClientContext context;
        Sign(&context, *key, "CheckConflict");
        relations::v1::CheckConflictRequest request;
        const int member = (i * 10) % absl::GetFlag(FLAGS_people);
        request.set_person(absl::StrCat("people/p-", member));
        request.set_other_person(absl::StrCat("people/p-", member + 1));
        request.set_setting(relations::v1::CONFLICT_SETTING_APPEAL_HEARING);
        relations::v1::CheckConflictResponse response;
        const absl::Time start = absl::Now();
        grpc::Status status = thread_stub->CheckConflict(&context, request, &response);
        latencies[t].push_back(absl::ToInt64Microseconds(absl::Now() - start));
        if (!status.ok()) ++errors;
        i += threads;
      }
    });
  }
  for (auto& worker : workers) worker.join();
  const double elapsed = absl::ToDoubleSeconds(absl::Now() - run_start);
  std::vector<int64_t> all;
  for (auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  auto percentile = [&](double p) {
    return all.empty() ? 0 : all[std::min(all.size() - 1, static_cast<size_t>(p * all.size()))];
  };
  absl::SleepFor(absl::Seconds(2));
  const long rss_after = RssKb(pid);
  // Idle again once the last call's assertion can no longer be replayed
  // (10 s lifetime + 5 s skew): the replay cache has forgotten the load's
  // nonces and the freed memory has been handed back.
  absl::SleepFor(absl::Seconds(14));
  const long rss_idle_after = RssKb(pid);
  const std::string idle_after_breakdown = RssBreakdown(pid);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  // The same directory after a restart: what an idle service holds for it,
  // without what the import left in the allocator.
  long rss_restarted = -1;
  std::string restarted_breakdown;
  if (pid_t again = start(); again > 0) {
    absl::SleepFor(absl::Seconds(2));
    rss_restarted = RssKb(again);
    restarted_breakdown = RssBreakdown(again);
    kill(again, SIGTERM);
    waitpid(again, &status, 0);
  }
  std::filesystem::remove_all(dir);

  std::printf("relations_bench (%d people, %d posts; %d client threads, %d s)\n",
              absl::GetFlag(FLAGS_people), directory.posts_size(), threads,
              absl::GetFlag(FLAGS_seconds));
  std::printf("  import (streamed, one transaction): %.2f s  (created %d)\n",
              absl::ToDoubleSeconds(import_time), imported.created_count());
  std::printf("  conflict checks: %zu in %.2f s = %.0f/s, errors %lld\n", all.size(), elapsed,
              all.size() / elapsed, static_cast<long long>(errors.load()));
  std::printf("  latency: p50 %lld us, p99 %lld us, max %lld us\n",
              static_cast<long long>(percentile(0.50)), static_cast<long long>(percentile(0.99)),
              static_cast<long long>(all.empty() ? 0 : all.back()));
  std::printf("  resident memory: idle empty %ld KB, idle with directory %ld KB, 2 s after load %ld KB\n",
              rss_empty, rss_loaded, rss_after);
  std::printf("    with directory: %s\n", loaded_breakdown.c_str());
  std::printf("  resident memory, idle 16 s after the load (replay window passed): %ld KB (%s)\n",
              rss_idle_after, idle_after_breakdown.c_str());
  std::printf("  resident memory, idle after a restart with the directory: %ld KB (%s)\n",
              rss_restarted, restarted_breakdown.c_str());
  return errors.load() == 0 ? 0 : 2;
}

}  // namespace
}  // namespace council::bench

int main(int argc, char** argv) {
  council::TuneProcess();
  absl::ParseCommandLine(argc, argv);
  return council::bench::Run();
}
