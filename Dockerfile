# One-shot job image. `docker run --rm IMAGE run` processes the bundled samples into /work/out.
# Mount your own inbox over /work/samples and an output folder over /work/out, e.g.
#   docker run --rm -e HOTLINE_ETL_KEY -v "$PWD/inbox:/work/samples:ro" -v "$PWD/out:/work/out" IMAGE run
# (see README.md). Build: docker build -t hotline-etl .

FROM swift:6.3-bookworm AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libxml2-dev zlib1g-dev libzstd-dev libssl-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product hotline-etl \
    && install -D "$(swift build -c release --show-bin-path)/hotline-etl" /out/hotline-etl

FROM debian:bookworm-slim
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libxml2 zlib1g libzstd1 libssl3 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /work hotline
COPY --from=build /out/hotline-etl /usr/local/bin/hotline-etl
WORKDIR /work
COPY --chown=hotline pipelines ./pipelines
COPY --chown=hotline samples ./samples
USER hotline
ENTRYPOINT ["hotline-etl"]
CMD ["--help"]
