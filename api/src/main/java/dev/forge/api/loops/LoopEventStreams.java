package dev.forge.api.loops;

import dev.forge.api.problems.ApiException;
import dev.forge.api.problems.InvalidInputException;
import dev.forge.audit.AuditLog;
import dev.forge.audit.StoredAuditEntry;
import dev.forge.workflows.loop.LoopStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The loops' event streams ({@code GET /api/loops/{id}/events}). Each stream polls its loop's
 * status query on a small shared scheduler (no thread per client), sends what changed (see {@link
 * LoopEventDiff}), a keep-alive comment when it has been quiet for a while, and completes after
 * {@code terminal}. With them, after each poll of the status, it sends the agent's entries that
 * the audit log gained since ({@link AgentEvents}), before {@code terminal}: the status is read
 * first, so when it says the loop has closed, every entry of its steps is already in the log. A
 * stream that cannot be written to (the client went away) is dropped at its next write, which is at
 * most one keep-alive interval later; its slot is then free again.
 */
public class LoopEventStreams implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LoopEventStreams.class);

  /** Streams one user may have open at once. */
  public static final int MAX_STREAMS_PER_USER = 8;

  private final Loops loops;
  private final AuditLog audit;
  private final Duration pollInterval;
  private final Duration keepAlive;
  private final int maxPerUser;
  private final ScheduledExecutorService scheduler;
  private final ConcurrentMap<String, AtomicInteger> open = new ConcurrentHashMap<>();
  private final LongSupplier clock = System::nanoTime;

  public LoopEventStreams(Loops loops, AuditLog audit) {
    this(loops, audit, Duration.ofMillis(500), Duration.ofSeconds(15), MAX_STREAMS_PER_USER, 2);
  }

  LoopEventStreams(Loops loops, AuditLog audit, Duration pollInterval, Duration keepAlive,
      int maxPerUser, int threads) {
    this.loops = loops;
    this.audit = audit;
    this.pollInterval = pollInterval;
    this.keepAlive = keepAlive;
    this.maxPerUser = maxPerUser;
    AtomicInteger count = new AtomicInteger();
    ThreadFactory threadFactory = runnable -> {
      Thread thread = new Thread(runnable, "forge-loop-events-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    this.scheduler = Executors.newScheduledThreadPool(threads, threadFactory);
  }

  /**
   * Opens a stream of the loop's events for {@code user}; {@code null} when a resumed stream has
   * nothing left to say (the loop ended and the client saw {@code terminal}): answer 204, which
   * tells an EventSource to stop reconnecting.
   *
   * @param lastEventId the {@code Last-Event-ID} header, or {@code null}
   * @throws ApiException 404 for an unknown loop, 429 when the user has too many streams open
   * @throws InvalidInputException for a malformed or impossible {@code Last-Event-ID}
   */
  SseEmitter open(String loopId, String user, String lastEventId) {
    AgentEvents.Position resume = AgentEvents.Position.parse(lastEventId);
    long resumeAfter = resume.status();
    LoopStatus first = loops.peek(loopId);
    if (resumeAfter > 0) {
      boolean closed = first != null && first.state().isTerminal() && loops.closed(loopId);
      int happenings = first == null ? 0 : LoopEventDiff.happenings(first, closed);
      long position = resumeAfter / LoopEventDiff.STEP;
      if (position > happenings) {
        throw new InvalidInputException("Last-Event-ID", "range",
            "is ahead of the events of loop " + loopId + "; reconnect without it to start over");
      }
      if (closed && position == happenings) {
        return null;
      }
    }
    AtomicInteger mine = open.computeIfAbsent(user, u -> new AtomicInteger());
    if (mine.incrementAndGet() > maxPerUser) {
      mine.decrementAndGet();
      throw ApiException.tooManyRequests("you already have " + maxPerUser
          + " event streams open; close one first");
    }
    Stream stream = new Stream(loopId, mine, new SseEmitter(0L), new LoopEventDiff(resumeAfter),
        resume);
    try {
      stream.emitter.onCompletion(stream::close);
      stream.emitter.onTimeout(stream::close);
      stream.emitter.onError(e -> stream.close());
      stream.future = scheduler.scheduleWithFixedDelay(stream::tick, 0,
          pollInterval.toMillis(), TimeUnit.MILLISECONDS);
      if (stream.closed.get()) {
        stream.future.cancel(false);
      }
    } catch (RuntimeException e) {
      stream.close();
      throw e;
    }
    return stream.emitter;
  }

  /** Streams open now, over all users. */
  int openStreams() {
    return open.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  private final class Stream {

    private final String loopId;
    private final AtomicInteger slots;
    private final SseEmitter emitter;
    private final LoopEventDiff diff;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ScheduledFuture<?> future;
    private long lastWrite = clock.getAsLong();
    /** The id of the last status event and of the last agent entry sent. */
    private AgentEvents.Position sent;
    /** The last audit entry read, agent's or not. */
    private long auditRead;

    Stream(String loopId, AtomicInteger slots, SseEmitter emitter, LoopEventDiff diff,
        AgentEvents.Position resume) {
      this.loopId = loopId;
      this.slots = slots;
      this.emitter = emitter;
      this.diff = diff;
      this.sent = resume;
      this.auditRead = resume.audit();
    }

    /** One poll; runs on the scheduler, never concurrently with itself. */
    void tick() {
      if (closed.get()) {
        return;
      }
      try {
        LoopStatus status = loops.peek(loopId);
        if (status != null) {
          boolean ended = status.state().isTerminal() && loops.closed(loopId);
          List<StoredAuditEntry> agent = new ArrayList<>();
          boolean allRead = readAgentEntries(agent);
          LoopEvent terminal = null;
          for (LoopEvent event : diff.next(status, ended && allRead)) {
            if (event.name().equals("terminal")) {
              terminal = event;
            } else {
              sendStatus(event);
            }
          }
          for (StoredAuditEntry entry : agent) {
            sent = new AgentEvents.Position(sent.status(), entry.id());
            send(sent.id(), entry.action(), AgentEvents.data(entry));
          }
          if (terminal != null) {
            sendStatus(terminal);
          }
          if (diff.finished()) {
            close();
            emitter.complete();
            return;
          }
        }
        if (clock.getAsLong() - lastWrite >= keepAlive.toNanos()) {
          emitter.send(SseEmitter.event().comment("keep-alive"));
          lastWrite = clock.getAsLong();
        }
      } catch (IOException | IllegalStateException e) {
        // The client went away (or the emitter already completed): free the slot.
        close();
      } catch (ApiException e) {
        if (e.status() == 404) {
          // The loop is gone (e.g. past Temporal's retention): nothing more will come.
          close();
          emitter.complete();
        }
        // 503: Temporal is unreachable for now; keep polling.
      } catch (RuntimeException e) {
        log.warn("event stream of {} could not poll the loop; trying again", loopId, e);
      }
    }

    /**
     * Reads the audit entries after the last one read, keeping the agent's; whether it read them
     * all (a long backlog is read over several polls, and {@code terminal} waits for the end).
     */
    private boolean readAgentEntries(List<StoredAuditEntry> agent) {
      if (audit == null) {
        return true;
      }
      for (int page = 0; page < AgentEvents.MAX_PAGES; page++) {
        List<StoredAuditEntry> entries = audit.forLoopAfter(loopId, auditRead, AgentEvents.PAGE);
        if (!entries.isEmpty()) {
          auditRead = entries.get(entries.size() - 1).id();
        }
        agent.addAll(AgentEvents.of(entries));
        if (entries.size() < AgentEvents.PAGE) {
          return true;
        }
      }
      return false;
    }

    private void sendStatus(LoopEvent event) throws IOException {
      sent = new AgentEvents.Position(event.id(), sent.audit());
      send(sent.id(), event.name(), event.data());
    }

    private void send(String id, String name, Object data) throws IOException {
      emitter.send(SseEmitter.event().id(id).name(name).data(data, MediaType.APPLICATION_JSON));
      lastWrite = clock.getAsLong();
    }

    void close() {
      if (closed.compareAndSet(false, true)) {
        slots.decrementAndGet();
        ScheduledFuture<?> poll = future;
        if (poll != null) {
          poll.cancel(false);
        }
      }
    }
  }
}
