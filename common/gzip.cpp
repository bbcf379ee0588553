#include "common/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <limits>

namespace corral {
namespace {

// 15 bits of window plus 16 selects the gzip wrapper instead of zlib's own.
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kMemLevel = 8;
constexpr size_t kChunk = size_t{64} * 1024;

// zlib counts in uInt; feed inputs larger than that in slices.
uInt sliceSize(size_t remaining) {
  return static_cast<uInt>(std::min<size_t>(remaining, std::numeric_limits<uInt>::max()));
}

}  // namespace

Result<std::string> gzipCompress(std::string_view data, int level) {
  z_stream stream{};
  if (deflateInit2(&stream, level, Z_DEFLATED, kGzipWindowBits, kMemLevel, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    return invalidArgument("gzip: cannot start compression at level " + std::to_string(level));
  }
  std::string out;
  out.reserve(deflateBound(&stream, static_cast<uLong>(data.size())));
  // zlib's API predates const; it never writes through next_in.
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  size_t remaining = data.size();
  std::array<Bytef, kChunk> buffer{};
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (stream.avail_in == 0 && remaining > 0) {
      stream.avail_in = sliceSize(remaining);
      remaining -= stream.avail_in;
    }
    stream.next_out = buffer.data();
    stream.avail_out = static_cast<uInt>(buffer.size());
    rc = deflate(&stream, remaining == 0 ? Z_FINISH : Z_NO_FLUSH);
    if (rc == Z_STREAM_ERROR) {
      deflateEnd(&stream);
      return internalError("gzip: compression failed");
    }
    out.append(reinterpret_cast<const char*>(buffer.data()), buffer.size() - stream.avail_out);
  }
  deflateEnd(&stream);
  return out;
}

struct GzipWriter::Stream {
  z_stream z{};
  bool started = false;
  bool failed = false;
  bool finished = false;
  std::string out;

  // Runs deflate over the pending input with `flush`, appending what it produces.
  void drain(int flush) {
    std::array<Bytef, kChunk> buffer{};
    int rc = Z_OK;
    do {
      z.next_out = buffer.data();
      z.avail_out = static_cast<uInt>(buffer.size());
      rc = deflate(&z, flush);
      if (rc == Z_STREAM_ERROR) {
        failed = true;
        return;
      }
      out.append(reinterpret_cast<const char*>(buffer.data()), buffer.size() - z.avail_out);
    } while (flush == Z_FINISH ? rc != Z_STREAM_END : z.avail_out == 0);
  }
};

GzipWriter::GzipWriter(int level) : stream_(std::make_unique<Stream>()) {
  stream_->started = deflateInit2(&stream_->z, level, Z_DEFLATED, kGzipWindowBits, kMemLevel,
                                  Z_DEFAULT_STRATEGY) == Z_OK;
  stream_->failed = !stream_->started;
}

GzipWriter::~GzipWriter() {
  if (stream_->started) {
    deflateEnd(&stream_->z);
  }
}

void GzipWriter::write(std::string_view data) {
  Stream& s = *stream_;
  while (!data.empty() && !s.failed && !s.finished) {
    uInt slice = sliceSize(data.size());
    // zlib's API predates const; it never writes through next_in.
    s.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    s.z.avail_in = slice;
    s.drain(Z_NO_FLUSH);
    data.remove_prefix(slice);
  }
}

Result<std::string> GzipWriter::finish() {
  Stream& s = *stream_;
  if (!s.started) {
    return invalidArgument("gzip: cannot start compression");
  }
  if (!s.failed && !s.finished) {
    s.z.next_in = nullptr;
    s.z.avail_in = 0;
    s.drain(Z_FINISH);
  }
  if (s.failed || s.finished) {
    s.failed = true;
    return internalError("gzip: compression failed");
  }
  s.finished = true;
  return std::move(s.out);
}

Result<std::string> gzipDecompress(std::string_view data, size_t max_output) {
  z_stream stream{};
  if (inflateInit2(&stream, kGzipWindowBits) != Z_OK) {
    return internalError("gzip: cannot start decompression");
  }
  std::string out;
  // The gzip trailer ends with the inflated size (modulo 2^32). Reserving it saves the copies of
  // growing a large output and leaves no unused capacity behind. A trailer may lie, so the
  // reservation stays within the bound and within what deflate can expand to (1032:1); a lie
  // costs only untouched address space.
  constexpr size_t kGzipMinimum = 18;  // header, empty deflate stream and trailer
  constexpr size_t kMaxDeflateRatio = 1032;
  if (data.size() >= kGzipMinimum) {
    const auto* tail = reinterpret_cast<const unsigned char*>(data.data() + data.size() - 4);
    size_t claimed =
        size_t{tail[0]} | size_t{tail[1]} << 8 | size_t{tail[2]} << 16 | size_t{tail[3]} << 24;
    out.reserve(std::min({claimed, max_output, data.size() * kMaxDeflateRatio}));
  }
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  size_t remaining = data.size();
  std::array<Bytef, kChunk> buffer{};
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (stream.avail_in == 0) {
      if (remaining == 0) {
        inflateEnd(&stream);
        return badRequest("gzip: the data ends before the end of the compressed stream");
      }
      stream.avail_in = sliceSize(remaining);
      remaining -= stream.avail_in;
    }
    stream.next_out = buffer.data();
    stream.avail_out = static_cast<uInt>(buffer.size());
    rc = inflate(&stream, Z_NO_FLUSH);
    if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR || rc == Z_STREAM_ERROR) {
      std::string reason = stream.msg != nullptr ? stream.msg : "corrupt data";
      inflateEnd(&stream);
      return badRequest("gzip: " + reason);
    }
    if (rc == Z_MEM_ERROR) {
      inflateEnd(&stream);
      return internalError("gzip: out of memory");
    }
    size_t produced = buffer.size() - stream.avail_out;
    if (produced > max_output - out.size()) {
      inflateEnd(&stream);
      return Status(ErrorCode::kPayloadTooLarge, "gzip: the data inflates to more than " +
                                                     std::to_string(max_output) + " bytes");
    }
    out.append(reinterpret_cast<const char*>(buffer.data()), produced);
  }
  bool trailing = stream.avail_in > 0 || remaining > 0;
  inflateEnd(&stream);
  if (trailing) {
    // A second member or garbage: neither is produced by gzipCompress, so refuse it.
    return badRequest("gzip: unexpected data after the end of the compressed stream");
  }
  return out;
}

}  // namespace corral
