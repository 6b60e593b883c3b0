package io.tributary.server.cluster;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.tributary.media.Addresses;
import io.tributary.server.http.BadRequestException;
import io.tributary.server.http.Jsons;
import io.tributary.server.http.Request;
import io.tributary.server.http.Router;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door of every {@code /cluster/api} route: a request the access check refuses gets {@code 401}, a bad
 * request {@code 400}, both in the seed's envelope, and the refusal is logged with the caller's address.
 */
final class ApiGuard {
    private static final Logger log = LoggerFactory.getLogger(ApiGuard.class);

    private ApiGuard() {
    }

    /** The request's JSON body as {@code type}; a missing body is a bad request that shows {@code example}. */
    static <T> T body(Request r, Class<T> type, String example) {
        T body = r.hasBody() ? Jsons.read(r.body(), type) : null;
        if (body == null) {
            throw new BadRequestException("a JSON body is required, e.g. " + example);
        }
        return body;
    }

    /** @param access empty when the request may pass, otherwise why not */
    static Router.Handler guarded(Function<Request, Optional<String>> access, Router.Handler handler) {
        return r -> {
            Optional<String> refused = access.apply(r);
            if (refused.isPresent()) {
                log.warn("refused {} from {}: {}", r.path(), Addresses.format(r.remote()), refused.get());
                return Envelope.error(HttpResponseStatus.UNAUTHORIZED, refused.get());
            }
            try {
                return handler.handle(r);
            } catch (BadRequestException e) {
                return Envelope.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
            }
        };
    }
}
