package dev.forge.workflows.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Random;
import java.util.UUID;

/**
 * What workflow code may not touch. Workflow code is replayed: anything that reads the world
 * (clocks, randomness, files, sockets, environment) or runs outside Temporal's scheduler (threads)
 * makes a replay diverge. Infrastructure (Spring, Docker, JDBC) belongs in activities.
 */
final class WorkflowDeterminismRules {

  static final String WORKFLOWS = "dev.forge.workflows..";

  /** Whitelist: the packages workflow code may depend on at all. */
  static final ArchRule ONLY_ALLOWED_PACKAGES =
      noClasses()
          .that().resideInAPackage(WORKFLOWS)
          .should().dependOnClassesThat(not(resideInAnyPackage(
              "dev.forge.workflows..", "dev.forge.spec", "dev.forge.spec.loop",
              "dev.forge.spec.sandbox", "dev.forge.spec.policy", "io.temporal..", "java.lang",
              "java.lang.invoke",
              "java.lang.annotation", "java.lang.reflect", "java.util", "java.util.function",
              "java.util.stream", "java.util.regex", "java.math", "java.time", "org.slf4j", "")))
          .because("workflow code depends on temporal-sdk, the loop specification's records and"
              + " rules (forge-spec, not its forge.yml parser) and the JDK's pure parts only;"
              + " Spring, docker-java, JDBC, java.io, java.nio, java.net and java.util.concurrent"
              + " belong in activities");

  static final ArchRule NO_INFRASTRUCTURE =
      noClasses()
          .that().resideInAPackage(WORKFLOWS)
          .should().dependOnClassesThat().resideInAnyPackage(
              "org.springframework..", "com.github.dockerjava..", "java.sql..", "javax.sql..",
              "java.io..", "java.nio..", "java.net..", "java.util.concurrent..",
              "java.lang.management..")
          .because("workflow code must not touch Spring, Docker, JDBC, files or sockets");

  static final ArchRule NO_THREADS =
      noClasses()
          .that().resideInAPackage(WORKFLOWS)
          .should().dependOnClassesThat(type(Thread.class).or(type(ThreadLocal.class))
              .or(type(Runtime.class)).or(type(ProcessBuilder.class)))
          .because("workflow code runs on Temporal's deterministic scheduler; use Workflow.newTimer,"
              + " Async and Workflow.await");

  static final ArchRule NO_WALL_CLOCK_OR_RANDOMNESS =
      noClasses()
          .that().resideInAPackage(WORKFLOWS)
          .should().callMethod(System.class, "currentTimeMillis")
          .orShould().callMethod(System.class, "nanoTime")
          .orShould().callMethod(System.class, "getenv", String.class)
          .orShould().callMethod(System.class, "getenv")
          .orShould().callMethod(System.class, "getProperty", String.class)
          .orShould().callMethod(Instant.class, "now")
          .orShould().callMethod(LocalDateTime.class, "now")
          .orShould().callMethod(LocalDate.class, "now")
          .orShould().callMethod(ZonedDateTime.class, "now")
          .orShould().callMethod(OffsetDateTime.class, "now")
          .orShould().callMethod(UUID.class, "randomUUID")
          .orShould().callMethod(Math.class, "random")
          .orShould().dependOnClassesThat(type(Clock.class).or(type(Random.class)))
          .because("time and randomness come from Workflow.currentTimeMillis(),"
              + " Workflow.randomUUID() and Workflow.newRandom(), which replay identically");

  static final ArchRule NO_MUTABLE_STATICS =
      fields()
          .that().areDeclaredInClassesThat().resideInAPackage(WORKFLOWS)
          .and().areStatic()
          .should().beFinal()
          .because("static state survives between workflow executions on a worker and breaks replay");

  private WorkflowDeterminismRules() {}
}
