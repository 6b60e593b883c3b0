package io.tributary.bench.load;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;

/** The client socket implementation of the benchmark tools: Linux epoll where it loads, Java NIO elsewhere. */
public record Transport(String name, IoHandlerFactory ioHandlers, Class<? extends Channel> channelType) {

    public static Transport best() {
        if (Epoll.isAvailable()) {
            return new Transport("epoll", EpollIoHandler.newFactory(), EpollSocketChannel.class);
        }
        return new Transport("nio", NioIoHandler.newFactory(), NioSocketChannel.class);
    }

    /** Event loops on daemon threads named {@code namePrefix-N}. */
    public EventLoopGroup newGroup(int threads, String namePrefix) {
        return newGroup(threads, namePrefix, Duration.ZERO);
    }

    /** As {@link #newGroup(int, String)}, each loop polling for I/O at most once per {@code readInterval}. */
    public EventLoopGroup newGroup(int threads, String namePrefix, Duration readInterval) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(namePrefix, true),
                PacedIoHandler.pace(ioHandlers, readInterval));
    }
}
