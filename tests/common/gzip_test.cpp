#include "common/gzip.h"

#include <catch2/catch.hpp>
#include <random>
#include <string>

namespace corral {

namespace {

std::string randomText(size_t size) {
  std::mt19937 engine(42);
  std::uniform_int_distribution<int> letter('a', 'z');
  std::string out(size, ' ');
  for (char& c : out) {
    c = static_cast<char>(letter(engine));
  }
  return out;
}

}  // namespace

TEST_CASE("gzip round-trips text, empty input and data larger than one chunk", "[gzip]") {
  for (const std::string& original : {std::string(), std::string("hello, corral"),
                                      randomText(300'000), std::string(1'000'000, 'x')}) {
    INFO("size " << original.size());
    Result<std::string> packed = gzipCompress(original);
    REQUIRE(packed.isOk());
    Result<std::string> unpacked = gzipDecompress(*packed, original.size());
    REQUIRE(unpacked.isOk());
    CHECK(*unpacked == original);
  }
}

TEST_CASE("gzipCompress writes the gzip wrapper that other tools read", "[gzip]") {
  Result<std::string> packed = gzipCompress("abc");
  REQUIRE(packed.isOk());
  REQUIRE(packed->size() >= 18);  // 10-byte header, data, 8-byte trailer
  CHECK(static_cast<unsigned char>((*packed)[0]) == 0x1f);
  CHECK(static_cast<unsigned char>((*packed)[1]) == 0x8b);
}

TEST_CASE("GzipWriter fed in pieces writes what gzipCompress writes of the whole", "[gzip]") {
  std::string original = randomText(300'000) + std::string(200'000, 'x');
  GzipWriter writer;
  for (size_t at = 0; at < original.size(); at += 7'777) {
    writer.write(std::string_view(original).substr(at, 7'777));
  }
  writer.write("");
  Result<std::string> packed = writer.finish();
  REQUIRE(packed.isOk());
  CHECK(*packed == *gzipCompress(original));
  CHECK_FALSE(writer.finish().isOk());  // spent

  GzipWriter empty;
  Result<std::string> nothing = empty.finish();
  REQUIRE(nothing.isOk());
  CHECK(*gzipDecompress(*nothing, 1) == "");
}

TEST_CASE("GzipWriter with a level zlib refuses fails when finished", "[gzip]") {
  GzipWriter writer(42);
  writer.write("ignored");
  CHECK_FALSE(writer.finish().isOk());
}

TEST_CASE("gzipDecompress refuses a bomb once the output passes the limit", "[gzip]") {
  // 64 MiB of zeros squeeze into about 64 KiB.
  Result<std::string> bomb = gzipCompress(std::string(64 << 20, '\0'), 9);
  REQUIRE(bomb.isOk());
  CHECK(bomb->size() < 100'000);
  Result<std::string> r = gzipDecompress(*bomb, 1 << 20);
  REQUIRE_FALSE(r.isOk());
  CHECK(r.status().code() == ErrorCode::kPayloadTooLarge);

  // Exactly at the limit is still fine; one byte under is not.
  Result<std::string> small = gzipCompress(std::string(1000, 'a'));
  REQUIRE(small.isOk());
  CHECK(gzipDecompress(*small, 1000).isOk());
  CHECK(gzipDecompress(*small, 999).status().code() == ErrorCode::kPayloadTooLarge);
}

TEST_CASE("gzipDecompress refuses corrupt, truncated and trailing data as a bad request",
          "[gzip]") {
  Result<std::string> packed = gzipCompress(randomText(10'000));
  REQUIRE(packed.isOk());

  std::string flipped = *packed;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x5a);
  std::string truncated = packed->substr(0, packed->size() / 2);
  std::string trailing = *packed + "junk";

  for (const std::string& bad :
       {std::string("not gzip at all"), std::string(), flipped, truncated, trailing}) {
    INFO("size " << bad.size());
    Result<std::string> r = gzipDecompress(bad, 1 << 20);
    REQUIRE_FALSE(r.isOk());
    CHECK(r.status().code() == ErrorCode::kBadRequest);
  }
}

}  // namespace corral
