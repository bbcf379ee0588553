#pragma once

// gzip (RFC 1952) through zlib, for snapshot uploads. Thread-safe.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace corral {

Result<std::string> gzipCompress(std::string_view data, int level = 6);

// gzip of a document handed over in pieces, so that a large one never has to exist uncompressed
// as a whole: only the compressed output grows. Not thread-safe; one writer per document.
class GzipWriter {
 public:
  explicit GzipWriter(int level = 6);
  ~GzipWriter();
  GzipWriter(const GzipWriter&) = delete;
  GzipWriter& operator=(const GzipWriter&) = delete;

  // Compresses `data` after what came before. Ignored once the writer has failed or finished.
  void write(std::string_view data);
  // Ends the stream and returns it (the same bytes as gzipCompress of all the data together).
  // Fails when zlib refused the level or failed; the writer takes nothing more afterwards.
  Result<std::string> finish();

 private:
  struct Stream;
  std::unique_ptr<Stream> stream_;
};

// Inflates `data`, stopping with kPayloadTooLarge as soon as the output would pass `max_output`
// bytes, so a small compression bomb cannot exhaust memory. Corrupt input is kBadRequest.
Result<std::string> gzipDecompress(std::string_view data, size_t max_output);

}  // namespace corral
