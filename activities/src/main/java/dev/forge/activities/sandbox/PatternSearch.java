package dev.forge.activities.sandbox;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds every occurrence of a fixed set of strings in one pass over a text (Aho-Corasick): the
 * time is linear in the text plus the matches, whatever the number of strings, so 32 credentials
 * in a dozen forms each cost no more than one when scanning megabytes of output. No regular
 * expressions, so no backtracking.
 */
final class PatternSearch {

  /** One occurrence, as positions in the skeleton: {@code [start, end)}. */
  record Match(int start, int end) {}

  private final List<Map<Character, Integer>> next = new ArrayList<>();
  private final List<Integer> fail = new ArrayList<>();
  /** The longest pattern ending at each node (0: none); shorter ones lie inside it. */
  private final List<Integer> longest = new ArrayList<>();

  PatternSearch(List<String> patterns) {
    newNode();
    for (String pattern : patterns) {
      int node = 0;
      for (int i = 0; i < pattern.length(); i++) {
        Integer child = next.get(node).get(pattern.charAt(i));
        if (child == null) {
          child = newNode();
          next.get(node).put(pattern.charAt(i), child);
        }
        node = child;
      }
      longest.set(node, Math.max(longest.get(node), pattern.length()));
    }
    link();
  }

  boolean isEmpty() {
    return next.get(0).isEmpty();
  }

  List<Match> find(SkeletonText text) {
    List<Match> matches = new ArrayList<>();
    int node = 0;
    for (int i = 0; i < text.length(); i++) {
      node = step(node, text.charAt(i));
      int length = longest.get(node);
      if (length > 0) {
        matches.add(new Match(i + 1 - length, i + 1));
      }
    }
    return matches;
  }

  private int step(int node, char c) {
    while (true) {
      Integer child = next.get(node).get(c);
      if (child != null) {
        return child;
      }
      if (node == 0) {
        return 0;
      }
      node = fail.get(node);
    }
  }

  private void link() {
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int child : next.get(0).values()) {
      fail.set(child, 0);
      queue.add(child);
    }
    while (!queue.isEmpty()) {
      int node = queue.poll();
      for (Map.Entry<Character, Integer> edge : next.get(node).entrySet()) {
        int child = edge.getValue();
        int target = step(fail.get(node), edge.getKey());
        fail.set(child, target);
        longest.set(child, Math.max(longest.get(child), longest.get(target)));
        queue.add(child);
      }
    }
  }

  private int newNode() {
    next.add(new HashMap<>());
    fail.add(0);
    longest.add(0);
    return next.size() - 1;
  }
}
