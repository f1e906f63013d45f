package dev.forge.api.identity;

import dev.forge.api.ApiProperties;
import dev.forge.spec.loop.Approvers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configured users and their token hashes. A presented token is hashed and compared with
 * every user's hash in constant time, so neither timing nor an early exit tells which user or how
 * many characters matched.
 */
public final class ApiUsers {

  private static final Pattern NAME = Approvers.NAME;
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private final List<Entry> entries;

  public ApiUsers(ApiProperties properties) {
    List<Entry> loaded = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    for (ApiProperties.User user : properties.users()) {
      String where = "forge.api.users[" + loaded.size() + "]";
      if (user.name() == null || !NAME.matcher(user.name()).matches()) {
        throw new IllegalStateException(where + ".name must match " + NAME + ", got '" + user.name() + "'");
      }
      if (!names.add(user.name())) {
        throw new IllegalStateException(where + ".name '" + user.name() + "' is configured twice");
      }
      String hash = user.tokenSha256() == null ? "" : user.tokenSha256().toLowerCase();
      if (!SHA256_HEX.matcher(hash).matches()) {
        throw new IllegalStateException(where + ".token-sha256 must be 64 hex digits (sha256sum of the token)");
      }
      if (!hashes.add(hash)) {
        throw new IllegalStateException(where + " shares its token with another user");
      }
      if (user.roles().isEmpty()) {
        throw new IllegalStateException(where + ".roles is empty; give one or more of " + Role.names());
      }
      if (user.groups().contains(user.name())) {
        throw new IllegalStateException(where + ".groups names the user's own name '" + user.name()
            + "'; user and group names must differ (gate approvers tell them apart)");
      }
      Set<Role> roles = new LinkedHashSet<>();
      user.roles().forEach(r -> roles.add(Role.parse(r)));
      loaded.add(new Entry(new ApiUser(user.name(), roles, user.groups()), HexFormat.of().parseHex(hash)));
    }
    this.entries = List.copyOf(loaded);
    for (Entry entry : entries) {
      for (String group : entry.user().groups()) {
        if (names.contains(group)) {
          throw new IllegalStateException("forge.api.users: '" + group + "' is the name of a"
              + " configured user and a group of " + entry.user().name() + "; user and group"
              + " names must differ, or an approver list naming one would admit the other");
        }
      }
    }
  }

  /** The configured users, in configuration order. */
  public List<ApiUser> users() {
    return entries.stream().map(Entry::user).toList();
  }

  /** The user whose token this is, if any. */
  public Optional<ApiUser> authenticate(String token) {
    byte[] presented = sha256(token);
    ApiUser match = null;
    for (Entry entry : entries) {
      // No early exit: every configured hash is compared.
      if (MessageDigest.isEqual(entry.tokenHash(), presented)) {
        match = entry.user();
      }
    }
    return Optional.ofNullable(match);
  }

  public int size() {
    return entries.size();
  }

  /** Hex SHA-256 of a token, as configured in {@code forge.api.users[].token-sha256}. */
  public static String hashOf(String token) {
    return HexFormat.of().formatHex(sha256(token));
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private record Entry(ApiUser user, byte[] tokenHash) {}
}
