package io.slipstream.launcher.experiment;

import io.slipstream.launcher.spec.SpecException;
import io.slipstream.trainer.model.ClassifierFamily;
import io.slipstream.trainer.model.ModelFamily;
import io.slipstream.trainer.semi.SelfTrainingFamily;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * The model families a job spec can name: every {@link ModelFamily} a jar on the class path lists in
 * {@code META-INF/services/io.slipstream.trainer.model.ModelFamily} (the built-in ones, the DL4J ones, a user's own),
 * plus {@code self_training}, which wraps any supervised family of the same registry. Each family brings its own
 * parameter checks, search space and cost model; this class only finds them by name.
 */
public final class ModelFamilies
{
    private final Map<String, ModelFamily<?>> families;

    private ModelFamilies(final Map<String, ModelFamily<?>> found)
    {
        final Map<String, ModelFamily<?>> all = new TreeMap<>(found);
        all.put(SelfTrainingFamily.NAME, new SelfTrainingFamily(this::supervised));
        families = Collections.unmodifiableMap(all);
    }

    /** The families on the class path of this class's loader. */
    public static ModelFamilies standard()
    {
        return load(ModelFamilies.class.getClassLoader());
    }

    /** The families {@code loader} finds; two with one name are refused, naming both classes. */
    @SuppressWarnings("rawtypes")
    public static ModelFamilies load(final ClassLoader loader)
    {
        final Map<String, ModelFamily<?>> found = new TreeMap<>();
        for (final ModelFamily family : ServiceLoader.load(ModelFamily.class, loader))
        {
            final String name = family.name();
            if (name.equals(SelfTrainingFamily.NAME))
            {
                throw new IllegalStateException(family.getClass().getName() + " is named " + name +
                    ", which is built in; give the family another name");
            }
            final ModelFamily<?> previous = found.put(name, family);
            if (previous != null && previous.getClass() != family.getClass())
            {
                throw new IllegalStateException("two model families are named " + name + ": " +
                    previous.getClass().getName() + " and " + family.getClass().getName() + "; rename one");
            }
        }
        return new ModelFamilies(found);
    }

    public Set<String> names()
    {
        return families.keySet();
    }

    /** The family called {@code name}, or a SpecException at {@code path} listing the families. */
    public ModelFamily<?> family(final String name, final String path)
    {
        final ModelFamily<?> f = families.get(name);
        if (f == null)
        {
            throw new SpecException(path, "'" + name + "' is not a model family; use one of " +
                String.join(", ", families.keySet()));
        }
        return f;
    }

    /** A supervised family by name, for self-training's base. */
    public ClassifierFamily<?> supervised(final String name)
    {
        final ModelFamily<?> f = families.get(name);
        if (!(f instanceof ClassifierFamily<?> classifier) || name.equals(SelfTrainingFamily.NAME))
        {
            throw new IllegalArgumentException("'" + name + "' is not a supervised family self_training can " +
                "wrap; use one of " + String.join(", ", supervisedNames()));
        }
        return classifier;
    }

    private List<String> supervisedNames()
    {
        return families.entrySet().stream().filter(e -> e.getValue() instanceof ClassifierFamily<?> &&
            !e.getKey().equals(SelfTrainingFamily.NAME)).map(Map.Entry::getKey).toList();
    }
}
