#include "core/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace caploop {

Progress::Progress(std::string label, uint64_t total, bool enabled)
    : label_(std::move(label)), total_(total), enabled_(enabled && ::isatty(STDERR_FILENO)) {
  start_ = last_ = std::chrono::steady_clock::now();
}

Progress::~Progress() { finish(); }

void Progress::set_label(std::string label) {
  std::lock_guard<std::mutex> lock(mu_);
  label_ = std::move(label);
}

void Progress::advance(uint64_t amount) {
  done_.fetch_add(amount, std::memory_order_relaxed);
  if (!enabled_) return;
  if ((calls_.fetch_add(1, std::memory_order_relaxed) & 1023) != 0 && amount < (1u << 20)) return;
  auto now = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mu_, std::try_to_lock);
  if (!lock.owns_lock() || now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  render(false);
}

void Progress::render(bool final) {
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  uint64_t done = done_.load();
  std::string line;
  if (total_ > 0) {
    double pct = 100.0 * static_cast<double>(done) / static_cast<double>(total_);
    line = fmt::format("\r{}: {:5.1f}% ({:.1f} s)", label_, pct > 100 ? 100.0 : pct, secs);
  } else {
    line = fmt::format("\r{}: {} ({:.1f} s)", label_, done, secs);
  }
  fmt::print(stderr, "{}{}", line, final ? "\r\033[K" : "\033[K");
  std::fflush(stderr);
}

void Progress::finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  finished_ = true;
  if (enabled_) render(true);
}

}  // namespace caploop
