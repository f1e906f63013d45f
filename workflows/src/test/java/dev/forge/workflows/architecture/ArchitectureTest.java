package dev.forge.workflows.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/** Keeps workflow code deterministic and free of infrastructure; fails the build otherwise. */
@AnalyzeClasses(packages = "dev.forge.workflows", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule onlyAllowedPackages = WorkflowDeterminismRules.ONLY_ALLOWED_PACKAGES;

  @ArchTest
  static final ArchRule noInfrastructure = WorkflowDeterminismRules.NO_INFRASTRUCTURE;

  @ArchTest
  static final ArchRule noThreads = WorkflowDeterminismRules.NO_THREADS;

  @ArchTest
  static final ArchRule noWallClockOrRandomness = WorkflowDeterminismRules.NO_WALL_CLOCK_OR_RANDOMNESS;

  @ArchTest
  static final ArchRule noMutableStatics = WorkflowDeterminismRules.NO_MUTABLE_STATICS;

  /** Packages depend on each other in one direction only. */
  @ArchTest
  static final ArchRule noCyclesBetweenPackages =
      slices().matching("dev.forge.workflows.(*)..").should().beFreeOfCycles();

  /** The rules must be able to fail: each one catches the offending fixture in test sources. */
  @Test
  void shouldCatchEveryKindOfForbiddenCodeInAFixture() {
    JavaClasses fixture =
        new ClassFileImporter().importClasses(dev.forge.workflows.loop.ForbiddenWorkflowCode.class);

    for (ArchRule rule : List.of(
        WorkflowDeterminismRules.ONLY_ALLOWED_PACKAGES,
        WorkflowDeterminismRules.NO_INFRASTRUCTURE,
        WorkflowDeterminismRules.NO_THREADS,
        WorkflowDeterminismRules.NO_WALL_CLOCK_OR_RANDOMNESS,
        WorkflowDeterminismRules.NO_MUTABLE_STATICS)) {
      assertThat(rule.evaluate(fixture).hasViolation())
          .as("rule should reject the fixture: %s", rule.getDescription())
          .isTrue();
    }
  }
}
