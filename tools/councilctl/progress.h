// progress.h — a progress bar on stderr when it is a terminal; silent in
// scripts and CI, where a log should not fill with carriage returns.
#ifndef COUNCIL_TOOLS_COUNCILCTL_PROGRESS_H_
#define COUNCIL_TOOLS_COUNCILCTL_PROGRESS_H_

#include <string>

namespace council::ctl {

class Progress {
 public:
  Progress(std::string label, int total);
  // Advance
  //
  // Adds `n` done items and redraws (at most every 1%).
  void Advance(int n);
  // Done
  //
  // Finishes the line.
  void Done();

 private:
  void Draw();
  std::string label_;
  int total_;
  int done_ = 0;
  int drawn_percent_ = -1;
  bool tty_;
  bool finished_ = false;
};

}  // namespace council::ctl

#endif  // COUNCIL_TOOLS_COUNCILCTL_PROGRESS_H_
