package dev.forge.spec.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The loop specification is plain, deterministic Java: the workflow calls its records and rules
 * while it replays, so everything but the forge.yml text reader stays off files, sockets, clocks and
 * threads. Its packages form no cycle.
 */
@AnalyzeClasses(packages = "dev.forge.spec", importOptions = ImportOption.DoNotIncludeTests.class)
class SpecArchitectureTest {

  @ArchTest
  static final ArchRule NO_PACKAGE_CYCLES = slices().matching("dev.forge.spec.(*)..")
      .should().beFreeOfCycles();

  @ArchTest
  static final ArchRule RULES_THE_WORKFLOW_CALLS_ARE_DETERMINISTIC = noClasses()
      .that().resideInAnyPackage("dev.forge.spec", "dev.forge.spec.loop", "dev.forge.spec.sandbox",
          "dev.forge.spec.policy")
      .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio..", "java.net..",
          "java.util.concurrent..", "java.time..", "org.yaml..", "dev.forge.spec.config..")
      .because("the workflow module may call these packages (its ArchUnit whitelist names them)");

  @ArchTest
  static final ArchRule NO_FRAMEWORK = noClasses()
      .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "io.temporal..",
          "com.fasterxml..", "dev.forge.workflows..", "dev.forge.api..", "dev.forge.activities..")
      .because("forge-spec depends on the JDK alone (SnakeYAML optional, for forge.yml text)");
}
