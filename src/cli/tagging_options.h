// TaggingOptions: the --taxonomy, --rules and --annotations options shared by every command that tags items
// (tag, weaknesses, diagnose, report), declared once so they read and behave the same everywhere.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "workspace/item_tagging.h"

namespace caploop::cli {

struct TaggingOptions {
  std::string taxonomy, rules, annotations;

  void add_to(CLI::App* cmd) {
    cmd->add_option("--taxonomy", taxonomy, "taxonomy TOML (default: built-in)");
    cmd->add_option("--rules", rules, "tagging rules TOML (default: built-in)");
    cmd->add_option("--annotations", annotations, "external annotations JSONL (override or extend the rules)");
  }

  // Loads the files the user named (built-in taxonomy and rules otherwise).
  std::unique_ptr<TaggingSetup> load() const {
    TaggingFiles files;
    if (!taxonomy.empty()) files.taxonomy = taxonomy;
    if (!rules.empty()) files.rules = rules;
    if (!annotations.empty()) files.annotations = annotations;
    return TaggingSetup::load(files);
  }
};

}  // namespace caploop::cli
