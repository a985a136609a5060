package io.slipstream.trainer.tasks;

/**
 * How one kind of task result travels between ranks and into the journal: a task returns {@link #encode}'s bytes and
 * its dependants read them back with {@link TaskResults#get(int, ResultCodec)}.
 */
public interface ResultCodec<T>
{
    byte[] encode(T result);

    T decode(byte[] bytes);
}
