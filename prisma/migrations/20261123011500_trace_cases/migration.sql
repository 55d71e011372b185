-- CreateTable
CREATE TABLE "trace_cases" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "traceId" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "notes" TEXT NOT NULL DEFAULT '',
    "tags" TEXT[],
    "pipeline" TEXT,
    "models" TEXT[],
    "source" TEXT NOT NULL,
    "snapshot" JSONB NOT NULL,
    "spanCount" INTEGER NOT NULL,
    "traceStartedAt" TIMESTAMP(3) NOT NULL,
    "pinnedById" TEXT,
    "pinnedByName" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "trace_cases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trace_case_incidents" (
    "caseId" TEXT NOT NULL,
    "incidentId" TEXT NOT NULL,
    "linkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trace_case_incidents_pkey" PRIMARY KEY ("caseId","incidentId")
);

-- CreateIndex
CREATE UNIQUE INDEX "trace_cases_number_key" ON "trace_cases"("number");

-- CreateIndex
CREATE INDEX "trace_cases_category_idx" ON "trace_cases"("category");

-- CreateIndex
CREATE INDEX "trace_cases_traceId_idx" ON "trace_cases"("traceId");

-- CreateIndex
CREATE INDEX "trace_cases_traceStartedAt_idx" ON "trace_cases"("traceStartedAt");

-- CreateIndex
CREATE INDEX "trace_case_incidents_incidentId_idx" ON "trace_case_incidents"("incidentId");

-- AddForeignKey
ALTER TABLE "trace_case_incidents" ADD CONSTRAINT "trace_case_incidents_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "trace_cases"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trace_case_incidents" ADD CONSTRAINT "trace_case_incidents_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

