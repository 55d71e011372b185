-- CreateTable
CREATE TABLE "spans" (
    "traceId" TEXT NOT NULL,
    "spanId" TEXT NOT NULL,
    "parentSpanId" TEXT,
    "name" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "startUs" DOUBLE PRECISION NOT NULL,
    "durationUs" DOUBLE PRECISION NOT NULL,
    "statusCode" TEXT NOT NULL,
    "statusMessage" TEXT,
    "attributes" JSONB NOT NULL,
    "resource" JSONB NOT NULL,
    "scope" JSONB,
    "events" JSONB NOT NULL,
    "links" JSONB NOT NULL,

    CONSTRAINT "spans_pkey" PRIMARY KEY ("traceId","spanId")
);

-- CreateTable
CREATE TABLE "traces" (
    "traceId" TEXT NOT NULL,
    "startUs" DOUBLE PRECISION NOT NULL,
    "endUs" DOUBLE PRECISION NOT NULL,
    "spanCount" INTEGER NOT NULL,
    "errorCount" INTEGER NOT NULL,
    "services" TEXT[],
    "models" TEXT[],
    "rootService" TEXT NOT NULL,
    "rootName" TEXT NOT NULL,
    "hasRoot" BOOLEAN NOT NULL,
    "firstReceivedAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "traces_pkey" PRIMARY KEY ("traceId")
);

-- CreateIndex
CREATE INDEX "traces_startUs_idx" ON "traces"("startUs");

-- CreateIndex
CREATE INDEX "traces_receivedAt_idx" ON "traces"("receivedAt");

-- CreateIndex
CREATE INDEX "traces_services_idx" ON "traces" USING GIN ("services");

-- CreateIndex
CREATE INDEX "traces_models_idx" ON "traces" USING GIN ("models");

