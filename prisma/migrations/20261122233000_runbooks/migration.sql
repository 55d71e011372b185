-- CreateTable
CREATE TABLE "runbooks" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "failureClass" TEXT NOT NULL,
    "errorState" TEXT NOT NULL,
    "pathway" TEXT NOT NULL,
    "owners" TEXT[],
    "signals" TEXT[],
    "publishedRevision" INTEGER,
    "headRevision" INTEGER NOT NULL DEFAULT 0,
    "shippedHash" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "runbooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "runbook_revisions" (
    "id" BIGSERIAL NOT NULL,
    "runbookId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "basedOn" INTEGER,
    "authorId" TEXT,
    "authorName" TEXT NOT NULL,
    "reviewedById" TEXT,
    "reviewedByName" TEXT,
    "reviewedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "runbook_revisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "checklist_ticks" (
    "id" BIGSERIAL NOT NULL,
    "incidentId" TEXT NOT NULL,
    "runbookId" TEXT NOT NULL,
    "itemKey" TEXT NOT NULL,
    "itemText" TEXT NOT NULL,
    "checked" BOOLEAN NOT NULL,
    "byId" TEXT,
    "byName" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "checklist_ticks_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "runbook_revisions_runbookId_number_key" ON "runbook_revisions"("runbookId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "checklist_ticks_incidentId_runbookId_itemKey_key" ON "checklist_ticks"("incidentId", "runbookId", "itemKey");

-- AddForeignKey
ALTER TABLE "runbook_revisions" ADD CONSTRAINT "runbook_revisions_runbookId_fkey" FOREIGN KEY ("runbookId") REFERENCES "runbooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

