# The hub for production (docker-compose.yml). Built from this repository; runs the prod profile.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY routes routes
COPY mappings mappings
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 hub
WORKDIR /app
COPY --from=build /src/target/intake-hub-*.jar /tmp/intake-hub.jar
# Start-up (BENCHMARKS.md B6): the jar extracted by Spring Boot's jar tools (/app/intake-hub.jar with lib/ beside it,
# no nested jars to read) and a class-data-sharing archive written by a training start of this image's own JVM: the
# embedded default, which needs no servers, ending itself once ready (hub.exit-when-ready), so the classes of every
# route and client are in it. The archive holds the classes parsed and verified; a JVM or class path that differs
# from the training's ignores it with a warning ("Unable to use shared archive") and starts as without it.
RUN java -Djarmode=tools -jar /tmp/intake-hub.jar extract --destination /app \
 && rm /tmp/intake-hub.jar \
 && mkdir /tmp/training && cd /tmp/training \
 && HUB_EMBEDDED_KAFKA_PORT=0 HUB_EMBEDDED_ARTEMIS_PORT=0 HUB_EMBEDDED_SFTP_PORT=0 HUB_HTTP_PORT=0 HUB_EXIT_WHEN_READY=true \
    java -XX:ArchiveClassesAtExit=/app/intake-hub.jsa -jar /app/intake-hub.jar \
 && cd / && rm -rf /tmp/training
USER hub
EXPOSE 8080
# Heap at half the container's memory: the rest of the JVM (metaspace, code cache, collector, threads) takes
# 240-290 MB beside it (B6, native memory tracking), so 75 % would overrun a 1 GB container once a long export
# has filled the heap. Containers under 768 MB: set JAVA_TOOL_OPTIONS to the small-footprint options of docs/production.md
# (Production: memory), -Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xss512k, with -XX:+ExitOnOutOfMemoryError.
ENV SPRING_PROFILES_ACTIVE=prod \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"
HEALTHCHECK --interval=15s --timeout=3s --start-period=40s \
  CMD wget -qO- http://localhost:8080/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/intake-hub.jsa", "-jar", "/app/intake-hub.jar"]
