package dev.forge.api.stepup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts TOTP secrets at rest: AES-256-GCM with a random 12-byte nonce per secret and the user's
 * name as associated data (a ciphertext copied to another user's row does not decrypt). The key is
 * 32 random bytes in a file of the data directory's secrets folder (mode 0600, created on first
 * use, like the other generated secrets), never in the database.
 */
final class SecretBox {

  private static final byte VERSION = 1;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  SecretBox(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("the TOTP encryption key must be 32 bytes");
    }
    this.key = new SecretKeySpec(key, "AES");
  }

  /** The box whose key is in {@code file}; a missing file is created with a new random key. */
  static SecretBox fromKeyFile(Path file) {
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent(),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        Files.writeString(file, Base64.getEncoder().encodeToString(fresh) + "\n",
            StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
      byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.UTF_8).strip());
      return new SecretBox(key);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the TOTP key file " + file, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("the TOTP key file " + file + " does not hold a base64"
          + " 32-byte key; restore it from a backup (enrolments made with another key cannot be"
          + " read)", e);
    }
  }

  byte[] seal(byte[] secret, String user) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    byte[] sealed = crypt(Cipher.ENCRYPT_MODE, nonce, secret, user);
    return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed)
        .array();
  }

  byte[] open(byte[] box, String user) {
    if (box.length < 1 + NONCE_BYTES + TAG_BITS / 8 || box[0] != VERSION) {
      throw new IllegalStateException("the stored TOTP secret of " + user + " is not readable");
    }
    byte[] nonce = java.util.Arrays.copyOfRange(box, 1, 1 + NONCE_BYTES);
    byte[] sealed = java.util.Arrays.copyOfRange(box, 1 + NONCE_BYTES, box.length);
    return crypt(Cipher.DECRYPT_MODE, nonce, sealed, user);
  }

  private byte[] crypt(int mode, byte[] nonce, byte[] input, String user) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(("forge-totp:" + user).getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the stored TOTP secret of " + user + " does not decrypt with"
          + " the key in the secrets folder; enrol the user again", e);
    }
  }
}
