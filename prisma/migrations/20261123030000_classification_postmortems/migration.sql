-- CreateEnum
CREATE TYPE "PostmortemStatus" AS ENUM ('draft', 'in_review', 'published');

-- CreateEnum
CREATE TYPE "ActionItemStatus" AS ENUM ('open', 'in_progress', 'done', 'wont_do');

-- CreateEnum
CREATE TYPE "ActionItemPriority" AS ENUM ('p0', 'p1', 'p2', 'p3');

-- AlterTable
ALTER TABLE "incidents" ADD COLUMN     "classifiedAt" TIMESTAMP(3),
ADD COLUMN     "errorState" TEXT,
ADD COLUMN     "failureClass" TEXT,
ADD COLUMN     "pathway" TEXT;

-- CreateTable
CREATE TABLE "incident_classifications" (
    "id" BIGSERIAL NOT NULL,
    "incidentId" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "errorState" TEXT,
    "pathway" TEXT,
    "failureClass" TEXT,
    "steps" JSONB NOT NULL,
    "decidedById" TEXT,
    "decidedByName" TEXT NOT NULL,
    "decidedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "incident_classifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "postmortems" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "incidentId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "status" "PostmortemStatus" NOT NULL DEFAULT 'draft',
    "content" JSONB NOT NULL,
    "facts" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdById" TEXT,
    "createdByName" TEXT NOT NULL,
    "reviewRequestedAt" TIMESTAMP(3),
    "publishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "postmortems_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "postmortem_revisions" (
    "id" BIGSERIAL NOT NULL,
    "postmortemId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "status" "PostmortemStatus" NOT NULL,
    "authorId" TEXT,
    "authorName" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "postmortem_revisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "postmortem_comments" (
    "id" BIGSERIAL NOT NULL,
    "postmortemId" TEXT NOT NULL,
    "section" TEXT,
    "body" TEXT NOT NULL,
    "authorId" TEXT,
    "authorName" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "postmortem_comments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "postmortem_cases" (
    "postmortemId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "linkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "postmortem_cases_pkey" PRIMARY KEY ("postmortemId","caseId")
);

-- CreateTable
CREATE TABLE "action_items" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "postmortemId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "ownerId" TEXT,
    "ownerName" TEXT,
    "dueDate" DATE,
    "status" "ActionItemStatus" NOT NULL DEFAULT 'open',
    "priority" "ActionItemPriority" NOT NULL DEFAULT 'p2',
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "action_items_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "incident_classifications_incidentId_revision_key" ON "incident_classifications"("incidentId", "revision");

-- CreateIndex
CREATE UNIQUE INDEX "postmortems_number_key" ON "postmortems"("number");

-- CreateIndex
CREATE UNIQUE INDEX "postmortems_incidentId_key" ON "postmortems"("incidentId");

-- CreateIndex
CREATE INDEX "postmortems_status_idx" ON "postmortems"("status");

-- CreateIndex
CREATE UNIQUE INDEX "postmortem_revisions_postmortemId_version_key" ON "postmortem_revisions"("postmortemId", "version");

-- CreateIndex
CREATE INDEX "postmortem_comments_postmortemId_createdAt_idx" ON "postmortem_comments"("postmortemId", "createdAt");

-- CreateIndex
CREATE INDEX "postmortem_cases_caseId_idx" ON "postmortem_cases"("caseId");

-- CreateIndex
CREATE UNIQUE INDEX "action_items_number_key" ON "action_items"("number");

-- CreateIndex
CREATE INDEX "action_items_status_dueDate_idx" ON "action_items"("status", "dueDate");

-- CreateIndex
CREATE INDEX "action_items_postmortemId_idx" ON "action_items"("postmortemId");

-- AddForeignKey
ALTER TABLE "incident_classifications" ADD CONSTRAINT "incident_classifications_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "postmortems" ADD CONSTRAINT "postmortems_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "postmortem_revisions" ADD CONSTRAINT "postmortem_revisions_postmortemId_fkey" FOREIGN KEY ("postmortemId") REFERENCES "postmortems"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "postmortem_comments" ADD CONSTRAINT "postmortem_comments_postmortemId_fkey" FOREIGN KEY ("postmortemId") REFERENCES "postmortems"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "postmortem_cases" ADD CONSTRAINT "postmortem_cases_postmortemId_fkey" FOREIGN KEY ("postmortemId") REFERENCES "postmortems"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "postmortem_cases" ADD CONSTRAINT "postmortem_cases_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "trace_cases"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "action_items" ADD CONSTRAINT "action_items_postmortemId_fkey" FOREIGN KEY ("postmortemId") REFERENCES "postmortems"("id") ON DELETE CASCADE ON UPDATE CASCADE;

