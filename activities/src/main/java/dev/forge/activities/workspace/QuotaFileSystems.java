package dev.forge.activities.workspace;

import dev.forge.activities.SandboxUser;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file systems that hold work trees with a disk quota.
 *
 * <p>A loop's quota is a sparse ext4 image of exactly the quota's size, {@code
 * <worktreesRoot>/.quota/<loopId>.img} (root's, mode 0600, in a directory only root may enter),
 * loop-mounted with {@code nosuid,nodev} on the work tree's own directory {@code
 * <worktreesRoot>/<loopId>}; {@code git worktree add} then checks the work tree out into it. So the
 * work tree's path is the same with or without a quota, and whatever a sandbox writes through it
 * lands in the image, which cannot take more of the host's disk than its size. Programs still run
 * from it ({@code noexec} would stop an agent from running its own scripts). Git's bookkeeping for
 * the work tree ({@code .git/worktrees/<loopId>} in the user's repository) and the checkpoint
 * commits stay on the host's disk, outside the quota.
 *
 * <p>A mount does not survive a reboot or an operator's {@code umount}: an empty directory is left
 * where the work tree was. Everything that uses a work tree first calls {@link #ensureMounted},
 * which mounts the image again and refuses a directory that gained files while it was not mounted.
 *
 * <p>The image is formatted with mkfs's defaults (a journal, so a crash needs no fsck) except that
 * no blocks are reserved for root; the journal and ext4's metadata take a few percent, so the
 * sandbox can store somewhat less than the quota. Work on one image is serialized within this JVM;
 * two workers must not share a worktree directory.
 */
final class QuotaFileSystems {

  /** The smallest quota: mkfs.ext4 needs room for its metadata and journal. */
  static final long MIN_BYTES = 16L << 20;

  static final String DIRECTORY = ".quota";
  static final String MOUNT_OPTIONS = "loop,nosuid,nodev";

  private static final Logger log = LoggerFactory.getLogger(QuotaFileSystems.class);
  private static final String LOST_AND_FOUND = "lost+found";
  private static final String REQUIREMENTS =
      "disk quotas need Forge to run as root on Linux, with loop devices (/dev/loop-control) and"
          + " the programs mkfs.ext4, mount and umount";
  private static final Object[] LOCKS = new Object[64];

  static {
    for (int i = 0; i < LOCKS.length; i++) {
      LOCKS[i] = new Object();
    }
  }

  private final QuotaTools tools;

  QuotaFileSystems(QuotaTools tools) {
    this.tools = tools;
  }

  static void requireValidSize(long bytes) {
    if (bytes < 0 || (bytes > 0 && bytes < MIN_BYTES)) {
      throw WorkspaceFailures.invalidDiskQuota(
          "a disk quota of "
              + bytes
              + " bytes is not possible: give 0 for none, or at least "
              + MIN_BYTES
              + " bytes ("
              + mebibytes(MIN_BYTES)
              + ")");
    }
  }

  /** Where the image of the work tree's quota is, whether or not there is one. */
  static Path imageOf(Path worktree) {
    return worktree.resolveSibling(DIRECTORY).resolve(worktree.getFileName() + ".img");
  }

  /**
   * Puts the loop's work tree on its quota file system before git checks it out, or mounts the one
   * an earlier attempt made; must run before the work tree is used. A loop keeps the image it was
   * first prepared with, whatever quota a later call asks for.
   *
   * @return the quota in force in bytes, 0 for none
   */
  long prepare(LoopWorktree loop, long requestedBytes, WorkspaceSettings settings) {
    requireValidSize(requestedBytes);
    Path worktree = loop.worktree();
    Path image = imageOf(worktree);
    synchronized (lockFor(image)) {
      if (Files.exists(image, LinkOption.NOFOLLOW_LINKS)) {
        long size = mount(worktree, image);
        if (requestedBytes != size) {
          log.info(
              "loop {} keeps its disk quota of {} bytes; {} bytes were asked for, but an existing"
                  + " file system is never resized",
              loop.loopId(),
              size,
              requestedBytes);
        }
        removeFreshLostAndFound(loop);
        return size;
      }
      if (requestedBytes == 0) {
        return 0;
      }
      if (Files.exists(loop.adminDir(), LinkOption.NOFOLLOW_LINKS)
          && !Files.exists(worktree, LinkOption.NOFOLLOW_LINKS)) {
        // Git lists a work tree that is gone: the preparer says so, and how to clear it up.
        return 0;
      }
      if (settings.diskQuota() == DiskQuotaMode.OFF) {
        log.info(
            "loop {} runs without its disk quota of {} bytes: forge.worker.disk-quota is off",
            loop.loopId(),
            requestedBytes);
        return 0;
      }
      requireNoWorktreeYet(loop, requestedBytes);
      requireUsable(
          "cannot enforce loop "
              + loop.loopId()
              + "'s disk quota of "
              + requestedBytes
              + " bytes",
          "provide that, or set forge.worker.disk-quota=off to run loops without a disk quota"
              + " (weaker: a sandbox can then fill the host's disk)",
          tools.mkfs(),
          tools.mount());
      create(loop.loopId(), image, requestedBytes, settings.sandboxUser());
      mount(worktree, image);
      removeFreshLostAndFound(loop);
      return requestedBytes;
    }
  }

  /**
   * Mounts the work tree's quota file system unless it is mounted already; a work tree without a
   * quota is left alone.
   *
   * @return whether the work tree has a quota
   */
  boolean ensureMounted(Path worktree) {
    Path image = imageOf(worktree);
    synchronized (lockFor(image)) {
      if (!Files.exists(image, LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
      mount(worktree, image);
      return true;
    }
  }

  /**
   * Unmounts the work tree's quota file system (lazily: a sandbox still using it keeps it until it
   * ends), then deletes its image and the empty directory it was mounted on. Everything in the work
   * tree is gone with it; the loop's branch and checkpoints stay in the repository, and git lists
   * the work tree until {@code git worktree prune}. A work tree without a quota is left alone.
   */
  void release(Path worktree) {
    Path image = imageOf(worktree);
    synchronized (lockFor(image)) {
      if (!Files.exists(image, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      for (int i = 0; i < 8 && QuotaMounts.isMountedFrom(worktree, image); i++) {
        List<String> command = List.of(tools.umount(), "--lazy", worktree.toString());
        HostCommand.Result result = runOrFail(command, "cannot unmount " + worktree);
        if (!result.succeeded()) {
          throw new IllegalStateException(
              "cannot unmount " + worktree + ": " + result.describeFailure(command));
        }
      }
      try {
        Files.deleteIfExists(image);
        Files.deleteIfExists(partialOf(image));
        if (Files.isDirectory(worktree, LinkOption.NOFOLLOW_LINKS)
            && !WorkspacePreparer.isNonEmptyDirectoryOrFile(worktree)) {
          Files.delete(worktree);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete the disk image " + image, e);
      }
    }
  }

  /** Mounts the image on the work tree unless it is mounted there; returns the image's size. */
  private long mount(Path worktree, Path image) {
    String loopId = worktree.getFileName().toString();
    if (!Files.isRegularFile(image, LinkOption.NOFOLLOW_LINKS)) {
      throw WorkspaceFailures.conflict(
          "loop "
              + loopId
              + "'s disk image "
              + image
              + " is not a regular file: remove it, then prepare the workspace again");
    }
    if (!QuotaMounts.isMountedFrom(worktree, image)) {
      mountNow(loopId, worktree, image);
    }
    try {
      return Files.size(image);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the size of " + image, e);
    }
  }

  private void mountNow(String loopId, Path worktree, Path image) {
    if (QuotaMounts.isMountPoint(worktree)) {
      throw WorkspaceFailures.conflict(
          "something other than loop "
              + loopId
              + "'s disk image "
              + image
              + " is mounted on its work tree "
              + worktree
              + ": unmount it, then retry");
    }
    if (WorkspacePreparer.isNonEmptyDirectoryOrFile(worktree)) {
      throw WorkspaceFailures.conflict(
          "loop "
              + loopId
              + "'s work tree "
              + worktree
              + " holds files although its disk image "
              + image
              + " is not mounted there: something wrote to it while it was unmounted; move"
              + " them away, then retry");
    }
    String problem = "cannot mount loop " + loopId + "'s disk image " + image + " on " + worktree;
    String advice = "the work tree's files are in that image: fix this, then retry";
    requireUsable(problem, advice, tools.mount());
    try {
      Files.createDirectories(worktree);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the work tree directory " + worktree, e);
    }
    List<String> command =
        List.of(
            tools.mount(),
            "-t",
            "ext4",
            "-o",
            MOUNT_OPTIONS,
            image.toString(),
            worktree.toString());
    HostCommand.Result result = runOrFail(command, problem);
    if (!result.succeeded()) {
      throw unavailable(problem, result.describeFailure(command), advice);
    }
    if (!QuotaMounts.isMountedFrom(worktree, image)) {
      throw unavailable(
          problem,
          "mount succeeded, but " + worktree + " is still not on a loop device of " + image,
          advice);
    }
    log.info("mounted loop {}'s disk image {} on {}", loopId, image, worktree);
  }

  /**
   * The quota must be there before git writes the first file of the work tree: a work tree made
   * without one (while quotas were off) cannot get one later.
   */
  private static void requireNoWorktreeYet(LoopWorktree loop, long requestedBytes) {
    if (Files.exists(loop.adminDir(), LinkOption.NOFOLLOW_LINKS)
        || WorkspacePreparer.isNonEmptyDirectoryOrFile(loop.worktree())) {
      throw WorkspaceFailures.conflict(
          "loop "
              + loop.loopId()
              + "'s work tree "
              + loop.worktree()
              + " already exists without a disk quota (made while forge.worker.disk-quota was"
              + " off?) and cannot get its quota of "
              + requestedBytes
              + " bytes now: start a new loop, or finish this one with"
              + " forge.worker.disk-quota=off");
    }
  }

  /** Makes the image under a temporary name, so a file with the image's name is always whole. */
  private void create(String loopId, Path image, long bytes, SandboxUser owner) {
    Path dir = image.getParent();
    Path partial = partialOf(image);
    try {
      Files.createDirectories(dir);
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw WorkspaceFailures.conflict(
            dir + " is not a directory: remove it, then prepare the workspace again");
      }
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      Files.deleteIfExists(partial);
      Files.createFile(
          partial,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (RandomAccessFile file = new RandomAccessFile(partial.toFile(), "rw")) {
        file.setLength(bytes);
      }
      warnIfHostHasLessFree(loopId, dir, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the disk image " + partial, e);
    }
    List<String> command = new ArrayList<>();
    command.add(tools.mkfs());
    command.addAll(List.of("-q", "-F", "-m", "0", "-E"));
    command.add("root_owner=" + owner.uid() + ":" + owner.gid());
    command.add(partial.toString());
    String problem = "cannot enforce loop " + loopId + "'s disk quota of " + bytes + " bytes";
    HostCommand.Result result = runOrFail(command, problem);
    if (!result.succeeded()) {
      deleteQuietly(partial);
      throw unavailable(
          problem,
          result.describeFailure(command),
          "provide a working mkfs.ext4, or set forge.worker.disk-quota=off to run loops without a"
              + " disk quota (weaker: a sandbox can then fill the host's disk)");
    }
    try {
      Files.move(partial, image, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move the disk image " + partial + " to " + image, e);
    }
  }

  /** A fresh ext4 has an empty lost+found, and git checks a work tree out only into nothing. */
  private static void removeFreshLostAndFound(LoopWorktree loop) {
    if (Files.exists(loop.adminDir(), LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Path lostAndFound = loop.worktree().resolve(LOST_AND_FOUND);
    if (Files.isDirectory(lostAndFound, LinkOption.NOFOLLOW_LINKS)
        && !WorkspacePreparer.isNonEmptyDirectoryOrFile(lostAndFound)) {
      try {
        Files.delete(lostAndFound);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove " + lostAndFound, e);
      }
    }
  }

  /** Fails closed, naming what is missing, before anything is changed on the host. */
  private static void requireUsable(String problem, String advice, String... programs) {
    List<String> missing = new ArrayList<>();
    int uid = processUid();
    if (uid != 0) {
      missing.add("Forge runs as uid " + uid + ", not as root");
    }
    if (!Files.exists(Path.of("/dev/loop-control"))) {
      missing.add("this host has no loop devices (/dev/loop-control is missing)");
    }
    for (String program : programs) {
      if (QuotaTools.locate(program).isEmpty()) {
        missing.add(
            "the program " + program + " is not installed (looked in " + QuotaTools.PATH + ")");
      }
    }
    if (!missing.isEmpty()) {
      throw unavailable(problem, String.join("; ", missing), advice);
    }
  }

  private static ApplicationFailure unavailable(String problem, String cause, String advice) {
    return WorkspaceFailures.diskQuotaUnavailable(
        problem + ": " + cause + ". " + capitalize(REQUIREMENTS) + "; " + advice);
  }

  private static HostCommand.Result runOrFail(List<String> command, String problem) {
    try {
      return HostCommand.run(command);
    } catch (IOException e) {
      throw WorkspaceFailures.diskQuotaUnavailable(
          problem
              + ": '"
              + String.join(" ", command)
              + "' could not be run ("
              + e.getMessage()
              + "). "
              + capitalize(REQUIREMENTS));
    }
  }

  private static void warnIfHostHasLessFree(String loopId, Path dir, long bytes)
      throws IOException {
    long free = Files.getFileStore(dir).getUsableSpace();
    if (free < bytes) {
      log.warn(
          "loop {}'s disk quota of {} bytes is more than the {} bytes free in {}: the host's disk"
              + " can fill up before the quota does",
          loopId,
          bytes,
          free,
          dir);
    }
  }

  private static int processUid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException e) {
      return -1;
    }
  }

  private static Path partialOf(Path image) {
    return image.resolveSibling(image.getFileName() + ".partial");
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("cannot delete {}", file, e);
    }
  }

  private static Object lockFor(Path image) {
    return LOCKS[Math.floorMod(image.toString().hashCode(), LOCKS.length)];
  }

  private static String capitalize(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  static String mebibytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
  }
}
