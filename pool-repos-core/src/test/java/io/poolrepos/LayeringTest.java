package io.poolrepos;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import org.junit.jupiter.api.Test;

/**
 * The core's classes depend on each other one way: repository, pool, name slot, connection record.
 * Each top-level class (with its nested classes) is one unit; no unit may reach itself again through
 * others. Three dependencies of the public API are allowed to point back, because an interface
 * creates its own implementation there: {@link PoolRepository#builder()} builds the
 * {@link DefaultPoolRepository}, {@link ConnectionAdapter#sockets()} returns a built-in adapter, and
 * {@link Statistics#snapshot()} makes a {@link Counts}.
 */
class LayeringTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.poolrepos");

    @Test
    void noClassOfTheCoreReachesItselfThroughOthers() {
        slices().assignedFrom(new TopLevelClasses())
                .should().beFreeOfCycles()
                .ignoreDependency(PoolRepository.Builder.class, DefaultPoolRepository.class)
                .ignoreDependency(ConnectionAdapter.class, BuiltInAdapters.class)
                .ignoreDependency(Statistics.class, Counts.class)
                .check(CORE);
    }

    @Test
    void theRecordTheSlotAndThePoolDoNotKnowTheLayersAboveThem() {
        assertThat(dependencies(PooledConnection.class)).noneMatch(name -> name.matches(
                "io\\.poolrepos\\.(NameSlot|NameCounters|NameWaiting|NameCapacity|DefaultConnectionPool|Names|DefaultPoolRepository)"));
        assertThat(dependencies(NameSlot.class)).noneMatch(name -> name.matches(
                "io\\.poolrepos\\.(DefaultConnectionPool|Names|GiveBack|PoolTotals|DefaultPoolRepository)"));
        assertThat(dependencies(DefaultConnectionPool.class)).doesNotContain("io.poolrepos.DefaultPoolRepository");
    }

    private static java.util.Set<String> dependencies(Class<?> type) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (JavaClass c : CORE) {
            if (c.getName().equals(type.getName()) || c.getName().startsWith(type.getName() + "$")) {
                c.getDirectDependenciesFromSelf().forEach(d -> names.add(topLevel(d.getTargetClass())));
            }
        }
        assertThat(names).as("dependencies of " + type.getSimpleName() + " were found").isNotEmpty();
        return names;
    }

    private static String topLevel(JavaClass c) {
        String name = c.getName();
        int nested = name.indexOf('$');
        return nested < 0 ? name : name.substring(0, nested);
    }

    /** One slice per top-level class of the core; classes of other packages belong to none. */
    private static final class TopLevelClasses implements SliceAssignment {

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            return javaClass.getPackageName().equals("io.poolrepos")
                    ? SliceIdentifier.of(topLevel(javaClass)) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "top-level classes of io.poolrepos";
        }
    }
}
