#include "tools/councilctl/command_table.h"

#include <utility>

namespace council::ctl {

void CommandTable::Add(const std::string& name, Command command) {
  commands_[name] = std::move(command);
}

const Command* CommandTable::Find(const std::string& name) const {
  auto it = commands_.find(name);
  return it == commands_.end() ? nullptr : &it->second;
}

bool CommandTable::IsGroup(const std::string& word) const {
  auto it = commands_.lower_bound(word + " ");
  return it != commands_.end() && it->first.rfind(word + " ", 0) == 0;
}

std::vector<std::string> CommandTable::Verbs(const std::string& group) const {
  std::vector<std::string> verbs;
  const std::string prefix = group + " ";
  for (auto it = commands_.lower_bound(prefix);
       it != commands_.end() && it->first.rfind(prefix, 0) == 0; ++it)
    verbs.push_back(it->first.substr(prefix.size()));
  return verbs;
}

std::vector<std::string> CommandTable::FirstWords() const {
  std::vector<std::string> words;
  for (const auto& [name, command] : commands_) {
    std::string first = name.substr(0, name.find(' '));
    if (words.empty() || words.back() != first) words.push_back(first);
  }
  return words;
}

}  // namespace council::ctl
