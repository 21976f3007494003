#pragma once
// The ledger's cryptography, all of it libsodium: SHA-256 for the chain and the form
// digests, Ed25519 (detached) for entry signatures. Keys and digests travel as lower-case hex.
#include <array>
#include <string>
#include <string_view>

namespace surg::consent {

std::string to_hex(const unsigned char* data, std::size_t size);
// Strict lower-case hex of exactly `size` bytes; false on anything else.
bool from_hex(std::string_view hex, unsigned char* out, std::size_t size);

std::string sha256_hex(std::string_view data);
// Digest of a file's bytes; throws UsageError without echoing the path (it may name a person).
std::string sha256_file_hex(const std::string& path);

// An Ed25519 secret key (seed + public key, 64 bytes), wiped from memory on destruction.
class SecretKey {
 public:
  static constexpr std::size_t kSize = 64;
  SecretKey() = default;
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;
  SecretKey(SecretKey&& other) noexcept;
  SecretKey& operator=(SecretKey&& other) noexcept;
  ~SecretKey();

  static SecretKey generate();
  static SecretKey from_hex(std::string_view hex);  // throws InputError
  std::string to_hex() const;
  std::string public_hex() const;
  std::string sign_hex(std::string_view message) const;  // 64-byte signature as hex

 private:
  std::array<unsigned char, kSize> bytes_{};
};

// True when `sig_hex` is a valid Ed25519 signature of `message` by `public_hex`.
bool verify_signature(std::string_view message, std::string_view sig_hex, std::string_view public_hex);

// Short fingerprint of a public key for humans comparing keys: first 16 hex of its SHA-256.
std::string key_fingerprint(std::string_view public_hex);

}  // namespace surg::consent
