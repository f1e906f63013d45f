package dev.forge.spec.loop;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one rule of who may decide a gate, used by the workflow's update validator ({@link
 * GateKeeper}), the escalation widening and the API's list of pending gates. An approver entry is
 * {@code user:NAME} (that user only), {@code group:NAME} (members of that group only) or a bare
 * {@code NAME} (a user or a group of that name, as before the explicit forms existed; the API
 * refuses a bare name that is both when a loop starts, and keeps user and group names apart).
 * Pure and deterministic: workflow code calls it.
 */
public final class Approvers {

  /** A user or group name: what tokens, configured users, groups and approver entries hold. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  /** An approver entry: a name, optionally prefixed with {@code user:} or {@code group:}. */
  public static final Pattern ENTRY = Pattern.compile("(?:(?:user|group):)?" + NAME.pattern());
  public static final String USER = "user:";
  public static final String GROUP = "group:";

  private Approvers() {}

  /**
   * Whether the user {@code user} with groups {@code groups} may decide a gate whose approver list
   * is {@code approvers}; an empty list lets any approver decide.
   */
  public static boolean mayDecide(List<String> approvers, String user, List<String> groups) {
    return approvers.isEmpty()
        || approvers.stream().anyMatch(entry -> matches(entry, user, groups));
  }

  /** Whether the one entry {@code entry} admits the user {@code user} with groups {@code groups}. */
  public static boolean matches(String entry, String user, List<String> groups) {
    if (entry.startsWith(USER)) {
      return entry.substring(USER.length()).equals(user);
    }
    if (entry.startsWith(GROUP)) {
      return groups.contains(entry.substring(GROUP.length()));
    }
    return entry.equals(user) || groups.contains(entry);
  }

  /** Whether {@code entry} names one user (explicitly, or as a bare name) rather than a group. */
  public static boolean mayBeUser(String entry, String name) {
    return entry.equals(USER + name) || entry.equals(name);
  }

  /** Whether {@code entry} is a bare name, neither {@code user:} nor {@code group:}. */
  public static boolean bare(String entry) {
    return !entry.startsWith(USER) && !entry.startsWith(GROUP);
  }

  /** The approver list once escalated: the gate's approvers, then the escalation list, each once. */
  public static List<String> widened(List<String> approvers, List<String> escalateTo) {
    Set<String> wider = new LinkedHashSet<>(approvers);
    wider.addAll(escalateTo);
    return List.copyOf(wider);
  }
}
