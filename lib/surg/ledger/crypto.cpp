#include "surg/ledger/crypto.hpp"

#include <sodium.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "surg/core/error.hpp"

namespace surg::consent {
namespace {

void ensure_sodium() {
  // sodium_init() is idempotent and thread-safe; < 0 means no usable RNG.
  if (sodium_init() < 0) throw RuntimeError("libsodium failed to initialise");
}

}  // namespace

std::string to_hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0x0f];
  }
  return out;
}

bool from_hex(std::string_view hex, unsigned char* out, std::size_t size) {
  if (hex.size() != size * 2) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;  // upper case is refused: one spelling per value keeps lines canonical
  };
  for (std::size_t i = 0; i < size; ++i) {
    int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  return true;
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return to_hex(digest, sizeof digest);
}

std::string sha256_file_hex(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(std::string("--form: cannot read the form file (") + std::strerror(errno) + ")");
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(buffer.data()),
                              static_cast<unsigned long long>(in.gcount()));
  }
  if (in.bad()) throw UsageError("--form: error while reading the form file");
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  return to_hex(digest, sizeof digest);
}

SecretKey::SecretKey(SecretKey&& other) noexcept : bytes_(other.bytes_) {
  sodium_memzero(other.bytes_.data(), kSize);
}

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
  bytes_ = other.bytes_;
  sodium_memzero(other.bytes_.data(), kSize);
  return *this;
}

SecretKey::~SecretKey() { sodium_memzero(bytes_.data(), kSize); }

SecretKey SecretKey::generate() {
  ensure_sodium();
  SecretKey key;
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_keypair(pk, key.bytes_.data());
  return key;
}

SecretKey SecretKey::from_hex(std::string_view hex) {
  ensure_sodium();
  SecretKey key;
  if (!consent::from_hex(hex, key.bytes_.data(), kSize))
    throw InputError("signing key file is not 128 lower-case hex digits");
  // The stored public half must match the seed, or signatures would not verify later.
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_ed25519_sk_to_pk(pk, key.bytes_.data());
  unsigned char check_pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char check_sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(check_pk, check_sk, key.bytes_.data());
  sodium_memzero(check_sk, sizeof check_sk);
  if (std::memcmp(pk, check_pk, sizeof pk) != 0) throw InputError("signing key file is corrupt");
  return key;
}

std::string SecretKey::to_hex() const { return consent::to_hex(bytes_.data(), kSize); }

std::string SecretKey::public_hex() const {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_ed25519_sk_to_pk(pk, bytes_.data());
  return consent::to_hex(pk, sizeof pk);
}

std::string SecretKey::sign_hex(std::string_view message) const {
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       bytes_.data());
  return consent::to_hex(sig, sizeof sig);
}

bool verify_signature(std::string_view message, std::string_view sig_hex, std::string_view public_hex) {
  ensure_sodium();
  unsigned char sig[crypto_sign_BYTES];
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  if (!from_hex(sig_hex, sig, sizeof sig) || !from_hex(public_hex, pk, sizeof pk)) return false;
  return crypto_sign_verify_detached(sig, reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), pk) == 0;
}

std::string key_fingerprint(std::string_view public_hex) { return sha256_hex(public_hex).substr(0, 16); }

}  // namespace surg::consent
