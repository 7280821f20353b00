#include "store/text_codec.h"

#include <fmt/format.h>
#include <zstd.h>

#include "core/error.h"

namespace caploop {

namespace {

// Texts shorter than this stay as they are: a zstd frame's header alone takes several bytes.
constexpr size_t kMinCompressed = 48;
// Level 3 (zstd's default): measured on the BBH benchmark folder, level 1 stores 8% more for 3% less time.
constexpr int kLevel = 3;

}  // namespace

struct TextCodec::Dictionary {
  ZSTD_CDict* cdict = nullptr;
  ZSTD_DDict* ddict = nullptr;
  ~Dictionary() {
    ZSTD_freeCDict(cdict);
    ZSTD_freeDDict(ddict);
  }
};

struct TextCodec::Contexts {
  ZSTD_CCtx* c = ZSTD_createCCtx();
  ZSTD_DCtx* d = ZSTD_createDCtx();
  ~Contexts() {
    ZSTD_freeCCtx(c);
    ZSTD_freeDCtx(d);
  }
};

TextCodec::TextCodec(DictionaryLoader load) : load_(std::move(load)), ctx_(std::make_unique<Contexts>()) {}
TextCodec::~TextCodec() = default;

void TextCodec::add_dictionary(int64_t id, std::string_view bytes) {
  auto d = std::make_unique<Dictionary>();
  // Raw content (bytes that do not open with zstd's dictionary magic number, as a text never does): zstd finds
  // matches in it as if it preceded every text.
  d->cdict = ZSTD_createCDict(bytes.data(), bytes.size(), kLevel);
  d->ddict = ZSTD_createDDict(bytes.data(), bytes.size());
  if (!d->cdict || !d->ddict) throw Error(ErrorKind::kInternal, fmt::format("zstd dictionary {} not created", id));
  dictionaries_[id] = std::move(d);
}

TextCodec::Dictionary& TextCodec::dictionary(int64_t id) {
  auto it = dictionaries_.find(id);
  if (it != dictionaries_.end()) return *it->second;
  std::optional<std::string> bytes = load_ ? load_(id) : std::nullopt;
  if (!bytes)
    throw Error(ErrorKind::kStore, fmt::format("workspace text needs compression dictionary {}, which is missing", id));
  add_dictionary(id, *bytes);
  return *dictionaries_.at(id);
}

TextCodec::Encoded TextCodec::encode(std::string_view text, int64_t dictionary_id) {
  if (text.size() < kMinCompressed) return {true, text};
  buffer_.resize(ZSTD_compressBound(text.size()));
  size_t n;
  if (dictionary_id != 0) {
    n = ZSTD_compress_usingCDict(ctx_->c, buffer_.data(), buffer_.size(), text.data(), text.size(),
                                 dictionary(dictionary_id).cdict);
  } else {
    n = ZSTD_compressCCtx(ctx_->c, buffer_.data(), buffer_.size(), text.data(), text.size(), kLevel);
  }
  if (ZSTD_isError(n)) throw Error(ErrorKind::kInternal, std::string("zstd: ") + ZSTD_getErrorName(n));
  if (n >= text.size()) return {true, text};
  return {false, std::string_view(buffer_.data(), n)};
}

std::string TextCodec::decode(std::string_view body, bool raw, int64_t dictionary_id) {
  if (raw) return std::string(body);
  unsigned long long size = ZSTD_getFrameContentSize(body.data(), body.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (1ull << 32)) {
    throw Error(ErrorKind::kStore, "workspace text is not a zstd frame (damaged workspace?)");
  }
  std::string out(size, '\0');
  size_t n = dictionary_id != 0 ? ZSTD_decompress_usingDDict(ctx_->d, out.data(), out.size(), body.data(), body.size(),
                                                             dictionary(dictionary_id).ddict)
                                : ZSTD_decompressDCtx(ctx_->d, out.data(), out.size(), body.data(), body.size());
  if (ZSTD_isError(n) || n != size) {
    throw Error(ErrorKind::kStore, fmt::format("workspace text does not decompress: {} (damaged workspace?)",
                                               ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short frame"));
  }
  return out;
}

int64_t TextCodec::decoded_size(std::string_view body, bool raw) const {
  if (raw) return static_cast<int64_t>(body.size());
  unsigned long long size = ZSTD_getFrameContentSize(body.data(), body.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
    throw Error(ErrorKind::kStore, "workspace text is not a zstd frame (damaged workspace?)");
  }
  return static_cast<int64_t>(size);
}

}  // namespace caploop
