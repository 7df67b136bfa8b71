#include "tools/councilctl/progress.h"

#include <unistd.h>

#include <cstdio>

namespace council::ctl {

Progress::Progress(std::string label, int total)
    : label_(std::move(label)), total_(total > 0 ? total : 1), tty_(isatty(STDERR_FILENO)) {}

void Progress::Advance(int n) {
  done_ += n;
  Draw();
}

void Progress::Draw() {
  if (!tty_) return;
  const int percent = done_ >= total_ ? 100 : done_ * 100 / total_;
  if (percent == drawn_percent_) return;
  drawn_percent_ = percent;
  const int width = 40;
  const int filled = percent * width / 100;
  std::fprintf(stderr, "\r%s [%.*s%*s] %3d%% (%d/%d)", label_.c_str(), filled,
               "########################################", width - filled, "", percent, done_,
               total_);
  std::fflush(stderr);
}

void Progress::Done() {
  if (!tty_ || finished_) return;
  finished_ = true;
  std::fprintf(stderr, "\n");
}

}  // namespace council::ctl
